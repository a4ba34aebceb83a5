/**
 * Localization for code that runs outside the extension host (core, worker, CLI). It reads the same
 * bundles as `vscode.l10n` (l10n/bundle.l10n.<locale>.json, keyed by the English string), so one
 * translation serves the host, the worker and the terminal.
 */
import * as l10n from '@vscode/l10n';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const t = l10n.t;

/**
 * Localizes a key that is not written at the call: the class names of src/domain/classes.ts, which
 * scripts/l10n-strings.mjs collects as keys from that file (so they are written once, in label order).
 */
export function translateClassName(name: string): string {
  const translate = l10n.t;
  return translate(name);
}

/** Normalises "zh_CN.UTF-8", "zh-CN", "zh-Hans" to the bundle suffix ("zh-cn"); other languages -> their code. */
export function normalizeLocale(locale: string | undefined): string {
  if (!locale) return 'en';
  const base = locale.split('.')[0].replace('_', '-').toLowerCase();
  if (base === 'zh' || base.startsWith('zh-cn') || base.startsWith('zh-hans') || base === 'zh-sg') return 'zh-cn';
  return base;
}

/** The locale a terminal asks for: LC_ALL, then LC_MESSAGES, then LANG. */
export function terminalLocale(env: NodeJS.ProcessEnv = process.env): string {
  return normalizeLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG);
}

/** Loads the bundle for `locale` from `l10nDir`; English (the keys themselves) when there is none. */
export function configureLocale(locale: string, l10nDir: string): void {
  const normalized = normalizeLocale(locale);
  const candidates = [normalized, normalized.split('-')[0]];
  for (const candidate of candidates) {
    const file = join(l10nDir, `bundle.l10n.${candidate}.json`);
    if (candidate !== 'en' && existsSync(file)) {
      l10n.config({ contents: JSON.parse(readFileSync(file, 'utf8')) });
      return;
    }
  }
  l10n.config({ contents: {} });
}
