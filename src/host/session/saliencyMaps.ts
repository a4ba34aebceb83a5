/**
 * The saved model's saliency (and a conv network's feature maps) for a test image (its pixels as the grid shows them) or a classified file (the
 * 28 × 28 input it was classified from), computed in the worker; the panel gets it as a `saliency` message.
 */
import { noModelError } from '../../core/errors';
import { hasSavedModel } from '../../core/modelFiles/savedModel';
import { PIXELS } from '../../domain/classes';
import { errorMessage } from '../../domain/errors';
import type { PictureInsight } from '../../domain/convInsight';
import type { HostToWebview, SaliencyTarget } from '../../protocol/webview';
import type { TrainingClient } from '../../worker/client';
import type { DashboardStore } from './dashboardStore';
import type { RunArchive } from './runArchive';

export class SaliencyMaps {
  constructor(
    private readonly client: Pick<TrainingClient, 'saliency'>,
    private readonly store: DashboardStore,
    private readonly archive: RunArchive,
  ) {}

  async request(target: SaliencyTarget): Promise<void> {
    const images = this.store.testImages;
    // A test image of the session's latest run: the worker holds it, only its index travels.
    const checksum = target.kind === 'test' && images.fromWorker ? images.testSet?.checksum : undefined;
    const input = target.kind === 'test'
      ? (await images.imagesWhenReady([target.index]))?.pixels
      : this.store.current.classifications?.flatMap((r) => (r.ok && r.file === target.file ? [r.input] : []))[0];
    let message: HostToWebview;
    const modelDir = this.archive.shownModelDir;
    if (!input || input.length !== PIXELS || !hasSavedModel(modelDir)) {
      message = { type: 'saliency', target, error: noModelError().toUserError() };
    } else {
      try {
        const byIndex = target.kind === 'test' && checksum !== undefined ? await this.byIndex(target.index, checksum, modelDir) : undefined;
        const { saliency, featureMaps } = byIndex ?? (await this.client.saliency(input, modelDir));
        message = featureMaps ? { type: 'saliency', target, saliency, featureMaps } : { type: 'saliency', target, saliency };
      } catch (error) {
        message = { type: 'saliency', target, error: { code: 'INTERNAL', message: errorMessage(error) } };
      }
    }
    this.store.post(message);
  }

  /** The map of a test image the worker holds; undefined when it no longer does (a new worker after a crash). */
  private async byIndex(testIndex: number, dataChecksum: string, modelDir: string): Promise<PictureInsight | undefined> {
    try {
      return await this.client.saliency({ testIndex, dataChecksum }, modelDir);
    } catch {
      return undefined;
    }
  }
}
