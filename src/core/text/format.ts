/**
 * The text the terminal commands print, as pure functions of the training events (so they are tested
 * without running anything): Keras-like epoch lines and model summary, the live progress bar, the
 * tutorial's last step (one image's ten probabilities). Every sentence goes through `t()`.
 */
import { t, translateClassName } from './l10n';
import { CLASS_NAMES } from '../../domain/classes';
import type { BatchProgress, EpochMetrics, RunOutcome } from '../../domain/metrics';
import type { DataInfo } from '../../domain/data';
import type { ModelSummary } from '../../domain/modelSummary';
import type { UserError } from '../../domain/errors';
import { durationParts } from '../../domain/duration';

/** The ten class names in the user's language, in label order. */
export function localizedClassNames(): string[] {
  return CLASS_NAMES.map(translateClassName);
}

/** 11800 -> "11,800" (the grouping used in the tutorial's text, whatever the terminal language). */
export function groupDigits(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * Columns a string takes in a terminal: wide (CJK, full-width) characters take two. Padding by
 * `length` would misalign the Chinese summary table.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Cuts `text` to at most `width` columns: a redrawn line that wraps can no longer be redrawn. */
function truncate(text: string, width: number): string {
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width) break;
    out += ch;
  }
  return out;
}

/** 75 -> "1m 15s", 3725 -> "1h 02m", 9 -> "9s". */
export function formatDuration(seconds: number): string {
  const d = durationParts(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d.unit === 'seconds') return t('{0}s', d.seconds);
  if (d.unit === 'minutes') return t('{0}m {1}s', d.minutes, two(d.seconds));
  return t('{0}h {1}m', d.hours, two(d.minutes));
}

/**
 * One line for a user error: what failed, the file (when the message does not name it), what to do; joined as
 * the language joins sentences (a space in English, nothing in Chinese). The CLI, the notifications and the
 * log all say it this way.
 */
export function describeUserError(error: UserError): string {
  const parts = [error.message];
  if (error.file !== undefined && error.file !== '' && !error.message.includes(error.file)) parts.push(t('(File: {0})', error.file));
  if (error.action) parts.push(error.action);
  return parts.reduce((joined, part) => t('{0} {1}', joined, part)).replace(/\s*\n\s*/g, ' ');
}

/** `Epoch 3/10 - 5.1s - loss: 0.3361 - accuracy: 0.8775 - test_loss: 0.3600 - test_accuracy: 0.8700 - 11,800 samples/s` */
export function formatEpochLine(metrics: EpochMetrics, epochs: number): string {
  const head = [metrics.epoch, epochs, metrics.seconds.toFixed(1), metrics.loss.toFixed(4), metrics.accuracy.toFixed(4)];
  const tail = [metrics.testLoss.toFixed(4), metrics.testAccuracy.toFixed(4), groupDigits(metrics.samplesPerSecond)];
  if (metrics.valLoss !== undefined && metrics.valAccuracy !== undefined) {
    const validation = [metrics.valLoss.toFixed(4), metrics.valAccuracy.toFixed(4)];
    return t('Epoch {0}/{1} - {2}s - loss: {3} - accuracy: {4} - val_loss: {5} - val_accuracy: {6} - test_loss: {7} - test_accuracy: {8} - {9} samples/s', ...head, ...validation, ...tail);
  }
  return t('Epoch {0}/{1} - {2}s - loss: {3} - accuracy: {4} - test_loss: {5} - test_accuracy: {6} - {7} samples/s', ...head, ...tail);
}

/**
 * One line for a TTY, redrawn in place: `Epoch 1/10  312/1875 [=====>........] ETA 1m 12s - loss: 0.5123 - accuracy: 0.8211`.
 * `columns` is the terminal width; the bar shrinks to fit.
 */
export function formatProgressBar(progress: BatchProgress, columns: number): string {
  const digits = String(progress.batchesPerEpoch).length;
  const count = t(
    'Epoch {0}/{1} {2}/{3}',
    progress.epoch,
    progress.epochs,
    String(progress.batch).padStart(digits),
    progress.batchesPerEpoch,
  );
  const tail = t(
    'ETA {0} - loss: {1} - accuracy: {2}',
    formatDuration(progress.etaSeconds),
    progress.loss.toFixed(4),
    progress.accuracy.toFixed(4),
  );
  const room = columns - 1 - displayWidth(count) - displayWidth(tail) - 4;
  const barWidth = Math.max(0, Math.min(30, room));
  if (barWidth < 5) return truncate(`${count} ${tail}`, columns - 1);
  const fraction = Math.min(1, progress.batch / progress.batchesPerEpoch);
  const done = Math.floor(fraction * barWidth);
  const bar =
    fraction >= 1 ? '='.repeat(barWidth) : '='.repeat(done) + '>' + '.'.repeat(Math.max(0, barWidth - done - 1));
  return `${count} [${bar}] ${tail}`;
}

/** The Keras `model.summary()` table, with the optimizer, loss and metrics underneath. */
export function formatSummary(summary: ModelSummary): string[] {
  const headers = [t('Layer (type)'), t('Output Shape'), t('Param #')];
  const rows = summary.layers.map((layer) => [
    `${layer.name} (${layer.className})`,
    `(${layer.outputShape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`,
    groupDigits(layer.params),
  ]);
  const widths = headers.map((header, i) =>
    Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[i]))) + 4,
  );
  const total = widths.reduce((a, b) => a + b, 0);
  const line = (cells: string[]) => ' ' + cells.map((cell, i) => padEnd(cell, widths[i])).join('').trimEnd();
  return [
    '_'.repeat(total),
    line(headers),
    '='.repeat(total),
    ...rows.map(line),
    '='.repeat(total),
    t('Total params: {0}', groupDigits(summary.totalParams)),
    t('Trainable params: {0}', groupDigits(summary.trainableParams)),
    t('Non-trainable params: {0}', groupDigits(summary.totalParams - summary.trainableParams)),
    '_'.repeat(total),
    t('Optimizer: {0}; loss: {1}; metrics: {2}', summary.optimizer, summary.loss, summary.metrics.join(', ')),
  ];
}

/** Where the data came from, in one sentence. */
export function formatDataSource(data: DataInfo): string {
  const train = groupDigits(data.trainCount);
  const test = groupDigits(data.testCount);
  const ms = Math.round(data.decodeMs);
  switch (data.sourceKind) {
    case 'user':
      return t('Data: {0} training and {1} test images from the folder you named, {2} (read and verified in {3} ms).', train, test, data.directory, ms);
    case 'cache':
      return t('Data: {0} training and {1} test images from the cache, {2} (read and verified in {3} ms).', train, test, data.directory, ms);
    case 'debian':
      return t('Data: {0} training and {1} test images from the Debian package dataset-fashion-mnist, {2} (read and verified in {3} ms).', train, test, data.directory, ms);
    case 'download':
      return t('Data: {0} training and {1} test images, downloaded once into {2} (read and verified in {3} ms).', train, test, data.directory, ms);
  }
}

/** The over-fitting gap after the last epoch, in percentage points (training minus test accuracy). */
export function gapPoints(last: EpochMetrics): number {
  return (last.accuracy - last.testAccuracy) * 100;
}

/**
 * The tutorial's last step for one test image: its ten probabilities as bars with class names, then the
 * argmax against the true label.
 */
export function formatImagePrediction(index: number, probabilities: ArrayLike<number>, label: number): string[] {
  const names = localizedClassNames();
  const nameWidth = Math.max(...names.map(displayWidth));
  let predicted = 0;
  for (let c = 1; c < names.length; c++) if (probabilities[c] > probabilities[predicted]) predicted = c;
  const lines = [t('Test image {0}, true label {1} ({2}): the model gives', index, names[label], label)];
  for (let c = 0; c < names.length; c++) {
    const p = probabilities[c];
    const bar = '#'.repeat(Math.round(p * 30));
    const marker = c === predicted ? ' <' : '';
    lines.push(`  ${String(c).padStart(2)} ${padEnd(names[c], nameWidth)}  ${p.toFixed(4)} ${bar}${marker}`);
  }
  lines.push(
    predicted === label
      ? t('Predicted {0} ({1}), the true label: correct.', names[predicted], predicted)
      : t('Predicted {0} ({1}), but the true label is {2} ({3}): wrong.', names[predicted], predicted, names[label], label),
  );
  return lines;
}

/** The top `k` classes of one classification, best first: [class index, probability]. */
export function topClasses(probabilities: ArrayLike<number>, k: number): [number, number][] {
  return Array.from(probabilities, (p, c): [number, number] => [c, p])
    .sort((a, b) => b[1] - a[1])
    .slice(0, k);
}

/** The epoch whose weights the model holds: the best one when they were restored, else the last. */
export function heldEpoch(history: readonly EpochMetrics[], outcome: RunOutcome | undefined): EpochMetrics | undefined {
  if (outcome?.weights === 'best' && outcome.bestEpoch !== undefined) return history.find((m) => m.epoch === outcome.bestEpoch);
  return history[history.length - 1];
}

/** How a run ended, its best epoch and the weights its model holds: the lines the CLI and the log print. */
export function formatOutcome(outcome: RunOutcome, history: readonly EpochMetrics[]): string[] {
  const lines: string[] = [];
  if (outcome.end === 'earlyStopped') {
    lines.push(t('Early stopping ended the run after epoch {0}: {1} had not improved for {2} epochs.', outcome.epochsRun, outcome.monitor, outcome.patience ?? 0));
  } else if (outcome.end === 'completed') {
    lines.push(t('The run trained all {0} epochs.', outcome.epochsRun));
  }
  const best = history.find((m) => m.epoch === outcome.bestEpoch);
  if (best !== undefined) {
    const value = outcome.monitor === 'val_accuracy' ? (best.valAccuracy ?? best.testAccuracy) : (best.valLoss ?? best.testLoss);
    const on = outcome.monitoredOn === 'validation' ? t('on the validation images') : t('on the test images (no validation split)');
    lines.push(t('Best epoch: {0} ({1} {2}, {3}).', best.epoch, outcome.monitor, value.toFixed(4), on));
  }
  if (outcome.end !== 'stopped') {
    lines.push(outcome.weights === 'best' ? t('The model holds the weights of the best epoch ({0}).', outcome.bestEpoch ?? outcome.epochsRun) : t('The model holds the weights of the last epoch ({0}).', outcome.epochsRun));
  }
  return lines;
}
