/**
 * The text Keras prints for each step, rebuilt from the run's numbers so the exported notebook reads as if
 * it had been run: the data shapes, `model.summary()`, the per-epoch log of `fit`, `evaluate(verbose=2)` and
 * the first prediction. Pure functions of the run.
 */
import { IMAGE_SIZE, NUM_CLASSES } from '../../domain/classes';
import { convLayersOf, convSides, flattenedWidth } from '../../domain/architecture';
import type { NotebookEpoch, NotebookRun, NotebookSettings } from './notebookRun';

export function shapesText(run: NotebookRun): string {
  return `(${run.trainCount}, 28, 28) (${run.testCount}, 28, 28)\n`;
}

interface SummaryRow {
  name: string;
  kind: string;
  /** The output shape without the batch dimension. */
  shape: number[];
  params: number;
}

/** Keras's layer names: the first of a kind is `dense`, the next `dense_1`, … */
function summaryRows(settings: NotebookSettings): SummaryRow[] {
  const seen = new Map<string, number>();
  const name = (base: string) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  };
  const rows: SummaryRow[] = [];
  const conv = convLayersOf(settings.architecture);
  if (conv.length > 0) {
    const sides = convSides(conv);
    rows.push({ name: name('reshape'), kind: 'Reshape', shape: [IMAGE_SIZE, IMAGE_SIZE, 1], params: 0 });
    let channels = 1;
    conv.forEach((layer, i) => {
      const params = layer.kernelSize * layer.kernelSize * channels * layer.filters + layer.filters;
      rows.push({ name: name('conv2d'), kind: 'Conv2D', shape: [sides[i], sides[i], layer.filters], params });
      rows.push({ name: name('max_pooling2d'), kind: 'MaxPooling2D', shape: [sides[i + 1], sides[i + 1], layer.filters], params: 0 });
      channels = layer.filters;
    });
  }
  let inputs = flattenedWidth(settings.architecture);
  rows.push({ name: name('flatten'), kind: 'Flatten', shape: [inputs], params: 0 });
  for (const layer of settings.architecture.hiddenLayers) {
    rows.push({ name: name('dense'), kind: 'Dense', shape: [layer.units], params: inputs * layer.units + layer.units });
    if (layer.dropout > 0) rows.push({ name: name('dropout'), kind: 'Dropout', shape: [layer.units], params: 0 });
    inputs = layer.units;
  }
  rows.push({ name: name('dense'), kind: 'Dense', shape: [NUM_CLASSES], params: inputs * NUM_CLASSES + NUM_CLASSES });
  return rows;
}

export function parameterCount(settings: NotebookSettings): number {
  return summaryRows(settings).reduce((sum, row) => sum + row.params, 0);
}

function kilobytes(params: number): string {
  return `${((params * 4) / 1024).toFixed(2)} KB`;
}

export function summaryText(settings: NotebookSettings): string {
  const rows = summaryRows(settings);
  const rule = '_'.repeat(65);
  const double = '='.repeat(65);
  // A name longer than its column ("max_pooling2d_1 (MaxPooling2D)") keeps one space before the shape.
  const column = (text: string, width: number) => (text.length < width ? text.padEnd(width) : `${text} `);
  const line = (a: string, b: string, c: string) => ` ${column(a, 28)}${column(b, 26)}${c}`.trimEnd();
  const total = parameterCount(settings);
  return [
    'Model: "sequential"',
    rule,
    line('Layer (type)', 'Output Shape', 'Param #'),
    double,
    ...rows.map((row) => line(`${row.name} (${row.kind})`, `(None, ${row.shape.join(', ')})`, String(row.params))),
    double,
    `Total params: ${total} (${kilobytes(total)})`,
    `Trainable params: ${total} (${kilobytes(total)})`,
    'Non-trainable params: 0 (0.00 B)',
    rule,
    '',
  ].join('\n');
}

/** Steps per epoch: the batches over the images `fit` trains on (a validation split holds some back). */
export function stepsPerEpoch(run: NotebookRun): number {
  const { batchSize, validationSplit } = run.settings;
  const trained = validationSplit === undefined ? run.trainCount : run.trainCount - Math.floor(run.trainCount * validationSplit);
  return Math.max(1, Math.ceil(trained / batchSize));
}

function metric(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'nan';
}

function epochLine(m: NotebookEpoch, steps: number): string {
  const seconds = Math.max(0, Math.round(m.seconds));
  const perStep = Math.max(0, Math.round((m.seconds * 1000) / steps));
  return (
    `${steps}/${steps} [==============================] - ${seconds}s ${perStep}ms/step` +
    ` - loss: ${metric(m.loss)} - accuracy: ${metric(m.accuracy)} - val_loss: ${metric(m.valLoss)} - val_accuracy: ${metric(m.valAccuracy)}`
  );
}

/** What `fit` prints: two lines per epoch, then early stopping's own lines. */
export function epochLogText(run: NotebookRun): string {
  const steps = stepsPerEpoch(run);
  const epochs = run.settings.epochs;
  const lines: string[] = [];
  for (const m of run.history) lines.push(`Epoch ${m.epoch}/${epochs}`, epochLine(m, steps));
  const stopping = run.settings.earlyStopping;
  const last = run.history[run.history.length - 1];
  // Keras 3's on_train_end: the early-stopping line, then the restore line (also after a full run).
  if (stopping?.patience !== undefined && last && last.epoch < epochs) lines.push(`Epoch ${last.epoch}: early stopping`);
  if (stopping?.restoreBestWeights && run.bestEpoch !== undefined && last) {
    lines.push(`Restoring model weights from the end of the best epoch: ${run.bestEpoch}.`);
  }
  return lines.join('\n') + '\n';
}

/** What `evaluate(verbose=2)` and the print after it show. */
export function evaluateText(run: NotebookRun): string | undefined {
  const final = run.final;
  if (!final) return undefined;
  const steps = Math.max(1, Math.ceil(run.testCount / 32));
  const loss = final.testLoss === undefined ? '' : ` - loss: ${metric(final.testLoss)}`;
  return `${steps}/${steps} - accuracy: ${metric(final.testAccuracy)}${loss}\n\nTest accuracy: ${final.testAccuracy.toFixed(4)}\n`;
}

/** numpy's look for `np.round(predictions[0], 3)` and the sentence under it. */
export function firstPredictionText(run: NotebookRun, classNames: readonly string[]): string | undefined {
  const first = run.firstPrediction;
  if (!first) return undefined;
  const values = first.probabilities.map((p) => p.toFixed(3));
  const predicted = first.probabilities.indexOf(Math.max(...first.probabilities));
  return `[${values.join(' ')}]\nPredicted: ${classNames[predicted]} - label: ${classNames[first.label]}\n`;
}
