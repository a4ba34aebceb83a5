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
import type { ConvFiltersSnapshot } from '../domain/convInsight';

export type EpochPredictionsMessage = Extract<HostToWebview, { type: 'epochPredictions' }>;

export type FirstLayerMessage = Extract<HostToWebview, { type: 'firstLayer' }>;

/** What of a run snapshot this holds. */
type SavedEpochs = 'epochPredictions' | 'firstLayer' | 'convFilters';

export class RunEpochs {
  private store: EpochPredictionStore | undefined;
  /** The newest epoch's first-layer weights (only the newest: the view shows the layer as it is now). */
  private layer: FirstLayerSnapshot | undefined;
  /** A conv network's newest first Conv2D filters (its first layer, in place of `layer`). */
  private filters: ConvFiltersSnapshot | undefined;

  firstLayerMessage(): FirstLayerMessage {
    const message: FirstLayerMessage = { type: 'firstLayer', layer: this.layer };
    if (this.filters) message.filters = this.filters;
    return message;
  }

  /** Forgets everything (a new run), or takes a run read back from disk. */
  reset(saved?: Pick<RunSnapshot, SavedEpochs>): void {
    this.store = saved?.epochPredictions ? EpochPredictionStore.fromPayload(saved.epochPredictions) : undefined;
    this.layer = saved?.firstLayer;
    this.filters = saved?.convFilters;
  }

  /** What a run snapshot keeps. */
  get saved(): Pick<RunSnapshot, SavedEpochs> {
    const saved: Pick<RunSnapshot, SavedEpochs> = {};
    const epochPredictions = this.store?.toPayload();
    if (epochPredictions) saved.epochPredictions = epochPredictions;
    if (this.layer) saved.firstLayer = this.layer;
    if (this.filters) saved.convFilters = this.filters;
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
    if (insight.convFilters && (this.filters === undefined || insight.convFilters.epoch >= this.filters.epoch)) this.filters = insight.convFilters;
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
