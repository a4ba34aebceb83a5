/**
 * The current run's per-epoch predictions on the host side: held in the bounded EpochPredictionStore (with the
 * host's analysis of each epoch), turned into the messages the dashboard needs (one new epoch during a run,
 * everything once per page load), and handed to the last-run store. No `vscode` import.
 */
import { EpochPredictionStore } from '../core/analysis/epochPredictions';
import type { HostToWebview } from '../protocol/webview';
import type { EpochInsight } from '../protocol/worker';
import type { RunSnapshot } from '../core/runs/runSnapshot';
import type { FirstLayerSnapshot } from '../domain/firstLayer';

export type EpochPredictionsMessage = Extract<HostToWebview, { type: 'epochPredictions' }>;

export type FirstLayerMessage = Extract<HostToWebview, { type: 'firstLayer' }>;

export class RunEpochs {
  private store: EpochPredictionStore | undefined;
  /** The newest epoch's first-layer weights (only the newest: the view shows the layer as it is now). */
  private layer: FirstLayerSnapshot | undefined;

  firstLayerMessage(): FirstLayerMessage {
    return { type: 'firstLayer', layer: this.layer };
  }

  /** Forgets everything (a new run), or takes a run read back from disk. */
  reset(saved?: Pick<RunSnapshot, 'epochPredictions' | 'firstLayer'>): void {
    this.store = saved?.epochPredictions ? EpochPredictionStore.fromPayload(saved.epochPredictions) : undefined;
    this.layer = saved?.firstLayer;
  }

  /** What a run snapshot keeps. */
  get saved(): Pick<RunSnapshot, 'epochPredictions' | 'firstLayer'> {
    const saved: Pick<RunSnapshot, 'epochPredictions' | 'firstLayer'> = {};
    const epochPredictions = this.store?.toPayload();
    if (epochPredictions) saved.epochPredictions = epochPredictions;
    if (this.layer) saved.firstLayer = this.layer;
    return saved;
  }

  /** Everything held, for a page that has just loaded (`data` undefined: nothing yet). */
  message(): EpochPredictionsMessage {
    return { type: 'epochPredictions', replace: true, data: this.store?.toPayload() };
  }

  /**
   * Holds one epoch's predictions and says what to post: the new epoch alone, or everything when holding it
   * dropped an older one (past the bound); undefined when the insight does not fit this run.
   */
  receive(insight: EpochInsight): EpochPredictionsMessage | undefined {
    const { predictions, labels } = insight;
    if (insight.firstLayer && (this.layer === undefined || insight.firstLayer.epoch >= this.layer.epoch)) this.layer = insight.firstLayer;
    if (this.store === undefined || this.store.count !== predictions.count) {
      this.store = new EpochPredictionStore(labels.slice(0, predictions.count), predictions.count);
    }
    const store = this.store;
    const before = store.size;
    if (!store.add(predictions)) return undefined;
    const latest = store.latest;
    if (store.size !== before + 1 || latest === undefined || latest.epoch !== predictions.epoch) return this.message();
    return {
      type: 'epochPredictions',
      replace: false,
      data: {
        count: predictions.count,
        labels: store.labels,
        epochs: [predictions.epoch],
        predicted: predictions.predicted,
        probabilities: predictions.probabilities,
        analyses: [latest],
      },
    };
  }
}
