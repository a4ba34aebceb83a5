/**
 * The per-epoch metrics as CSV (RFC 4180: comma-separated, CRLF line ends, a header row), for a spreadsheet
 * or pandas. Column names are the Keras History keys, so they read the same as the notebook's code: `val_*`
 * is what Keras validated on (the held-out images with a validation split, else the test set); with a split,
 * the test set's own columns follow.
 */
import type { EpochMetrics } from '../../domain/metrics';

const HEADER = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy'];
const TEST = ['test_loss', 'test_accuracy'];
const TIMING = ['seconds', 'samples_per_second'];

/** A number as CSV keeps it: full precision, `NaN` for a missing value (pandas reads both). */
function field(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) ? String(value) : 'NaN';
}

export function epochMetricsCsv(history: readonly EpochMetrics[]): string {
  const split = history.some((m) => m.valLoss !== undefined);
  const header = split ? [...HEADER, ...TEST, ...TIMING] : [...HEADER, ...TIMING];
  const rows = [...history]
    .sort((a, b) => a.epoch - b.epoch)
    .map((m) => {
      const values = split
        ? [m.epoch, m.loss, m.accuracy, m.valLoss, m.valAccuracy, m.testLoss, m.testAccuracy, m.seconds, m.samplesPerSecond]
        : [m.epoch, m.loss, m.accuracy, m.testLoss, m.testAccuracy, m.seconds, m.samplesPerSecond];
      return values.map(field).join(',');
    });
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}
