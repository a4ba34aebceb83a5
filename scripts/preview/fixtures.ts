/**
 * The fixture states the preview shows (test/preview/fixtures.mjs: tutorial-like runs, real test images when
 * the Debian dataset is installed), built once with the real analysis code and the trainer's seeded
 * generator, and what the page gets of one of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as analysis from '../../src/core/analysis/analysis';
import * as epochPredictions from '../../src/core/analysis/epochPredictions';
import { createRng } from '../../src/training/seededRandom';
// @ts-expect-error plain ESM module without types
import { buildFixtures } from '../../test/preview/fixtures.mjs';
import { encodeTyped, type PreviewFixture } from './fixturePayload';
import { CONV_FIXTURE_ARCHITECTURE, convFiltersFixture } from './convFixture';

export interface Fixtures {
  states: Record<string, PreviewFixture['state']>;
  testImages: Uint8Array;
  overfittingByEpoch: PreviewFixture['overfittingByEpoch'];
  history: PreviewFixture['history'];
  realData: boolean;
  epochPredictions: PreviewFixture['epochs'];
  firstLayer: NonNullable<PreviewFixture['firstLayer']>;
}

export function loadFixtures(): Fixtures {
  return buildFixtures({ analysis, epochPredictions, createRng }) as Fixtures;
}

/** What `vscode.l10n.bundle` holds for a display language: our bundle for it; none for English. */
export function l10nBundle(root: string, locale: string): Record<string, string> | undefined {
  const file = join(root, `l10n/bundle.l10n.${locale}.json`);
  return locale !== 'en' && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
}

/** The script that gives the page its fixture (the fake host reads it): the mode's state and what goes with it. */
export function fixtureScript(root: string, fixtures: Fixtures, mode: string, locale: string): string {
  // The conv mode: the finished run, trained as the tfjs example's ConvNet (its first layer is filters).
  const conv = mode === 'conv';
  const finished = fixtures.states.finished;
  const payload: PreviewFixture = {
    mode,
    locale,
    state: conv ? { ...finished, params: { ...finished.params, architecture: CONV_FIXTURE_ARCHITECTURE } } : (fixtures.states[mode] ?? finished),
    bundle: l10nBundle(root, locale),
    history: fixtures.history,
    overfittingByEpoch: fixtures.overfittingByEpoch,
    finished: mode === 'midrun' ? fixtures.states.finished : undefined,
    epochs: fixtures.epochPredictions,
    firstLayer: ['finished', 'pastRun', 'stopped', 'midrun'].includes(mode) ? fixtures.firstLayer : undefined,
  };
  if (conv) payload.convFilters = convFiltersFixture(finished.history.length);
  return `window.__previewFixture = ${encodeTyped(payload)};\nwindow.__previewImages = ${encodeTyped({ images: fixtures.testImages })};\n`;
}
