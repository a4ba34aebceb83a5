/**
 * The per-epoch metrics as CSV (RFC 4180: comma-separated, CRLF line ends, a header row), for a spreadsheet
 * or pandas. Column names are the Keras History keys, so they read the same as the notebook's code.
 */
import type { EpochMetrics } from '../../domain/metrics';

const HEADER = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds', 'samples_per_second'];

/** A number as CSV keeps it: full precision, `NaN` for a missing value (pandas reads both). */
function field(value: number): string {
  return Number.isFinite(value) ? String(value) : 'NaN';
}

export function epochMetricsCsv(history: readonly EpochMetrics[]): string {
  const rows = [...history]
    .sort((a, b) => a.epoch - b.epoch)
    .map((m) => [m.epoch, m.loss, m.accuracy, m.testLoss, m.testAccuracy, m.seconds, m.samplesPerSecond].map(field).join(','));
  return [HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}
