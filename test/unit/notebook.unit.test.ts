import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNotebook, NOTEBOOK_MARKER, serializeNotebook, type Notebook } from '../../src/core/notebook/notebook';
import type { NotebookRun } from '../../src/core/notebook/notebookRun';
import { notebookStrings } from '../../src/core/notebook/notebookStrings';
import { configureLocale } from '../../src/core/text/l10n';
import { findL10nDir } from '../../src/core/text/l10nDir';
import { confusionMatrixSvg, epochChartSvg, type ChartStrings } from '../../src/core/notebook/charts';
import { escapeXml } from '../../src/core/notebook/svg';
import { validateWithPython, type SvgSummary } from './notebookPython';

/** A run with everything #16 adds: two hidden layers with dropout, L2, a validation split, early stopping that fired. */
function variantRun(): NotebookRun {
  const history = Array.from({ length: 6 }, (_, i) => ({
    epoch: i + 1,
    loss: 0.6 - i * 0.05,
    accuracy: 0.8 + i * 0.015,
    valLoss: 0.5 - Math.min(i, 3) * 0.02,
    valAccuracy: 0.83 + Math.min(i, 3) * 0.01,
    seconds: 2.5,
  }));
  return {
    settings: {
      epochs: 20,
      batchSize: 64,
      learningRate: 0.0005,
      seed: 7,
      architecture: { hiddenLayers: [{ units: 256, dropout: 0.3 }, { units: 64, dropout: 0 }], l2: 0.0001 },
      validationSplit: 0.1,
      earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0.001, restoreBestWeights: true },
    },
    date: '2026-12-01T08:00:00.000Z',
    backend: 'wasm',
    trainCount: 60000,
    testCount: 10000,
    history,
    bestEpoch: 4,
    final: { testAccuracy: 0.861, testLoss: 0.39, trainAccuracy: 0.875 },
    confusion: Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (t === p ? 900 : t + p))),
    firstPrediction: { probabilities: [0, 0, 0, 0, 0, 0.02, 0, 0.03, 0, 0.95], label: 9 },
  };
}

/** Today's dashboard run: the tutorial's network, the test set validating each epoch, no early stopping. */
function tutorialRun(): NotebookRun {
  return {
    settings: { epochs: 2, batchSize: 32, learningRate: 0.001, seed: 42, architecture: { hiddenLayers: [{ units: 128, dropout: 0 }], l2: 0 }, trainLimit: 3000, testLimit: 500 },
    trainCount: 3000,
    testCount: 500,
    history: [
      { epoch: 1, loss: 0.9, accuracy: 0.7, valLoss: 0.7, valAccuracy: 0.75, seconds: 0.4 },
      { epoch: 2, loss: 0.6, accuracy: 0.79, valLoss: 0.62, valAccuracy: 0.78, seconds: 0.3 },
    ],
    final: { testAccuracy: 0.78, testLoss: 0.62, trainAccuracy: 0.79 },
  };
}

function codeOf(notebook: Notebook): string[] {
  return notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
}

function allCode(notebook: Notebook): string {
  return codeOf(notebook).join('\n');
}

function withLocale<T>(locale: string, body: () => T): T {
  const l10nDir = findL10nDir(__dirname);
  assert.ok(l10nDir);
  configureLocale(locale, l10nDir);
  try {
    return body();
  } finally {
    configureLocale('en', l10nDir);
  }
}

test('nbformat validates the exported notebook and ast parses every code cell, in English and in Chinese', () => {
  for (const locale of ['en', 'zh-cn']) {
    for (const run of [variantRun(), tutorialRun()]) {
      const notebook = withLocale(locale, () => buildNotebook(run, notebookStrings(), '0.1.0'));
      const summary = validateWithPython(serializeNotebook(notebook));
      assert.equal(summary.nbformat, 4);
      assert.equal(summary.minor, 5);
      assert.equal(summary.code, codeOf(notebook).length);
      assert.ok(summary.code >= 8, `${summary.code} code cells`);
    }
  }
});

test('the markdown follows the UI language: Chinese prose and class names under zh-cn', () => {
  const zh = withLocale('zh-cn', () => buildNotebook(tutorialRun(), notebookStrings(), '0.1.0'));
  const en = buildNotebook(tutorialRun(), notebookStrings(), '0.1.0');
  const prose = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join('')).join('\n');
  // Every heading is translated (not only the class names, which were translated before this feature).
  const headings = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === 'markdown').flatMap((c) => c.source).filter((line) => line.startsWith('#'));
  for (const heading of headings(zh)) assert.match(heading, /^#+ .*[\u4e00-\u9fff]/, heading);
  assert.equal(headings(zh).length, headings(en).length);
  assert.match(prose(zh), /\| 0 \| T恤/);
  assert.doesNotMatch(prose(en), /[\u4e00-\u9fff]/);
  assert.match(prose(en), /\| 9 \| Ankle boot \|/);
  // Code is code: the same in both languages.
  assert.deepEqual(codeOf(zh), codeOf(en));
});

test('the code rebuilds a variant exactly: layers, dropout, L2, Adam rate, epochs, batch, validation split, early stopping', () => {
  const code = allCode(buildNotebook(variantRun(), notebookStrings(), '0.1.0'));
  assert.match(code, /keras\.datasets\.fashion_mnist/);
  assert.match(code, /train_images = train_images \/ 255\.0/);
  assert.match(code, /test_images = test_images \/ 255\.0/);
  assert.match(code, /keras\.layers\.Flatten\(\)/);
  const dense = [...code.matchAll(/keras\.layers\.Dense\((\d+), activation='(\w+)'(, kernel_regularizer=keras\.regularizers\.l2\(([\d.e-]+)\))?\)/g)];
  assert.deepEqual(dense.map((m) => [m[1], m[2], m[4]]), [['256', 'relu', '0.0001'], ['64', 'relu', '0.0001'], ['10', 'softmax', '0.0001']]);
  assert.deepEqual([...code.matchAll(/keras\.layers\.Dropout\(([\d.]+)\)/g)].map((m) => m[1]), ['0.3']);
  // The dropout follows the layer it belongs to.
  assert.ok(code.indexOf('Dense(256') < code.indexOf('Dropout(0.3)') && code.indexOf('Dropout(0.3)') < code.indexOf('Dense(64'));
  assert.match(code, /keras\.optimizers\.Adam\(learning_rate=0\.0005\)/);
  assert.match(code, /epochs=20,/);
  assert.match(code, /batch_size=64,/);
  assert.match(code, /validation_split=0\.1,/);
  assert.doesNotMatch(code, /validation_data=/);
  assert.match(code, /EarlyStopping\(\n {4}monitor='val_loss',\n {4}patience=2,\n {4}min_delta=0\.001,\n {4}restore_best_weights=True,/);
  assert.match(code, /callbacks=\[early_stopping\]/);
  assert.match(code, /keras\.utils\.set_random_seed\(7\)/);
  assert.match(code, /model\.evaluate\(test_images, test_labels/);
  assert.match(code, /np\.argmax\(predictions, axis=1\)/);
});

test('the tutorial run validates on the test set each epoch, with its image limits and no dropout or L2', () => {
  const code = allCode(buildNotebook(tutorialRun(), notebookStrings(), '0.1.0'));
  assert.match(code, /validation_data=\(test_images, test_labels\)/);
  assert.match(code, /train_images\[:3000\]/);
  assert.match(code, /test_images\[:500\]/);
  assert.doesNotMatch(code, /Dropout|kernel_regularizer|EarlyStopping|validation_split/);
  assert.match(code, /keras\.layers\.Dense\(128, activation='relu'\)/);
});

test('the outputs are the run\'s own: the Keras epoch log, SVG charts and confusion matrix, metrics, execution counts', () => {
  const notebook = buildNotebook(variantRun(), notebookStrings(), '0.1.0');
  assert.deepEqual(notebook.metadata.kernelspec, { name: 'python3', display_name: 'Python 3', language: 'python' });
  const code = notebook.cells.filter((c) => c.cell_type === 'code');
  assert.deepEqual(code.map((c) => c.execution_count), code.map((_, i) => i + 1));
  const streams = code.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'stream').map((o) => (o.output_type === 'stream' ? o.text.join('') : ''));
  const log = streams.find((text) => text.startsWith('Epoch 1/20'));
  assert.ok(log, 'an epoch log');
  // 54,000 images after the 10% split, batch 64: 844 steps.
  assert.match(log, /^844\/844 \[=+\] - 3s 3ms\/step - loss: 0\.6000 - accuracy: 0\.8000 - val_loss: 0\.5000 - val_accuracy: 0\.8300$/m);
  assert.equal(log.match(/^Epoch \d+\/20$/gm)?.length, 6);
  assert.match(log, /Epoch 6: early stopping\nRestoring model weights from the end of the best epoch: 4\.\n$/);
  assert.ok(streams.some((text) => text.includes('Test accuracy: 0.8610')));
  assert.ok(streams.some((text) => text.includes('Total params: 218058')), 'model.summary with 784*256+256 + 256*64+64 + 64*10+10 params');
  assert.ok(streams.some((text) => text.startsWith('[0.000 0.000 0.000 0.000 0.000 0.020 0.000 0.030 0.000 0.950]\nPredicted: Ankle boot - label: Ankle boot')));
  const images = code.flatMap((c) => c.outputs ?? []).flatMap((o) => (o.output_type === 'display_data' ? [o.data] : []));
  assert.equal(images.length, 3, 'accuracy, loss and the confusion matrix');
  assert.ok(images.every((data) => data['image/png'] === undefined && Array.isArray(data['image/svg+xml'])), 'SVG only, as Jupyter keeps text: a list of lines');
  assert.deepEqual(images.map((data) => data['text/plain']), [['<Figure size 640x420 with 1 Axes>'], ['<Figure size 640x420 with 1 Axes>'], ['<Figure size 630x614 with 1 Axes>']]);
});

function svgsOf(locale: string, run: NotebookRun): SvgSummary[] {
  const notebook = withLocale(locale, () => buildNotebook(run, notebookStrings(), '0.1.0'));
  return validateWithPython(serializeNotebook(notebook)).svgs;
}

test('the SVG charts parse as XML and carry their axes, both series (a marker per epoch plus the legend\'s) and the matrix\'s 100 cells', () => {
  const [accuracy, loss, confusion] = svgsOf('en', variantRun());
  assert.deepEqual([accuracy, loss, confusion].map((svg) => `${svg.width}x${svg.height}`), ['640x420', '640x420', '630x614']);
  assert.deepEqual([accuracy.title, loss.title, confusion.title], ['Accuracy per epoch', 'Loss per epoch', 'Confusion matrix']);
  assert.deepEqual(accuracy.classes, { 'x-title': ['Epoch'], 'y-title': ['Accuracy'] });
  assert.deepEqual(loss.classes, { 'x-title': ['Epoch'], 'y-title': ['Loss'] });
  // Six epochs: one line and 6 + 1 markers per series.
  assert.deepEqual(accuracy.series, [{ name: 'training', paths: 1, markers: 7 }, { name: 'validation', paths: 1, markers: 7 }]);
  assert.ok(accuracy.texts.includes('Training') && accuracy.texts.includes('Validation'), accuracy.texts.join('|'));
  for (const epoch of ['1', '2', '3', '4', '5', '6']) assert.ok(accuracy.texts.includes(epoch), `x tick ${epoch}`);
  assert.ok(['0.80', '0.82', '0.84', '0.86', '0.88'].every((tick) => accuracy.texts.includes(tick)) && loss.texts.includes('0.60'), `y ticks around the values, no two alike: ${accuracy.texts.join('|')}`);
  assert.deepEqual(confusion.classes, { 'x-title': ['Predicted class'], 'y-title': ['True class'] });
  assert.equal(confusion.cells, 100);
  assert.equal(confusion.texts.filter((t) => t === '900').length, 10, 'the diagonal\'s counts');
  // The tutorial run validates on the test set: the second series says so.
  const [tutorial] = svgsOf('en', tutorialRun());
  assert.ok(tutorial.texts.includes('Test') && !tutorial.texts.includes('Validation'));
});

test('the charts are labelled in the notebook\'s language: Chinese axes, legend and titles under zh-cn', () => {
  const [accuracy, loss, confusion] = svgsOf('zh-cn', variantRun());
  assert.deepEqual(accuracy.classes, { 'x-title': ['轮次'], 'y-title': ['准确率'] });
  assert.deepEqual(loss.classes['y-title'], ['损失']);
  assert.ok(accuracy.texts.includes('训练') && accuracy.texts.includes('验证'), accuracy.texts.join('|'));
  assert.deepEqual(confusion.classes, { 'x-title': ['预测类别'], 'y-title': ['真实类别'] });
  assert.match(confusion.title, /[\u4e00-\u9fff]/);
});

test('a label is text, never markup: every character XML would read is escaped', () => {
  assert.equal(escapeXml(`<b a="1">&'</b>`), '&lt;b a=&quot;1&quot;&gt;&amp;&apos;&lt;/b&gt;');
  const hostile = '<script>alert("x")</script> & \'';
  const strings = Object.fromEntries(['epoch', 'accuracy', 'loss', 'training', 'validation', 'test', 'accuracyTitle', 'lossTitle', 'confusionTitle', 'predicted', 'truth'].map((key) => [key, hostile])) as unknown as ChartStrings;
  const run = variantRun();
  for (const svg of [epochChartSvg(run.history, 'accuracy', false, strings), confusionMatrixSvg(run.confusion!, strings)]) {
    assert.doesNotMatch(svg, /<script/);
    assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &apos;/);
  }
});

test('a chart is the same bytes for the same run, and a missing value breaks the line instead of drawing NaN', () => {
  const s = notebookStrings().chart;
  const run = variantRun();
  assert.equal(epochChartSvg(run.history, 'loss', false, s), epochChartSvg(variantRun().history, 'loss', false, s));
  const gap = run.history.map((m, i) => (i === 2 ? { ...m, valLoss: Number.NaN } : m));
  const svg = epochChartSvg(gap, 'loss', false, s);
  assert.doesNotMatch(svg, /NaN|Infinity/);
  const validation = svg.slice(svg.indexOf('data-series="validation"'));
  assert.equal(validation.match(/d="(M[^"]*)"/)?.[1].split('M').length, 3, 'two pieces of line around the gap');
});

test('a run without per-epoch metrics (a saved model\'s record) leaves those cells unrun and says so', () => {
  const run: NotebookRun = { ...tutorialRun(), history: [], final: { testAccuracy: 0.88, trainAccuracy: 0.91 } };
  delete run.confusion;
  const notebook = buildNotebook(run, notebookStrings(), '0.1.0');
  validateWithPython(serializeNotebook(notebook));
  const trainCell = notebook.cells.find((c) => c.cell_type === 'code' && c.source.join('').startsWith('history = model.fit('));
  assert.ok(trainCell);
  assert.equal(trainCell.execution_count, null);
  assert.deepEqual(trainCell.outputs, []);
  const prose = notebook.cells.map((c) => c.source.join('')).join('\n');
  assert.match(prose, /per-epoch metrics were not recorded/);
  assert.match(prose, /Training accuracy 91\.0%, test accuracy 88\.0%: a gap of 3\.0 points\./);
});

test('the same run gives the same file, byte for byte, and the file carries the marker', () => {
  const a = serializeNotebook(buildNotebook(variantRun(), notebookStrings(), '0.1.0'));
  const b = serializeNotebook(buildNotebook(variantRun(), notebookStrings(), '0.1.0'));
  assert.equal(a, b);
  const parsed = JSON.parse(a) as { metadata: Record<string, unknown> };
  assert.deepEqual(parsed.metadata[NOTEBOOK_MARKER], { exportVersion: 1, extensionVersion: '0.1.0' });
});

/** The CNN: two conv blocks before Flatten, then Dense(64). */
function convRun(): NotebookRun {
  const run = tutorialRun();
  run.settings.architecture = { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 };
  return run;
}

test('a conv run exports Keras Conv2D and MaxPooling2D after Reshape((28, 28, 1)), validated by nbformat and ast, with its summary', () => {
  for (const locale of ['en', 'zh-cn']) {
    const notebook = withLocale(locale, () => buildNotebook(convRun(), notebookStrings(), '0.1.0'));
    assert.equal(validateWithPython(serializeNotebook(notebook)).code, codeOf(notebook).length);
  }
  const notebook = buildNotebook(convRun(), notebookStrings(), '0.1.0');
  const code = allCode(notebook);
  const layers = [...code.matchAll(/keras\.(?:Input|layers\.(\w+))\(([^\n]*)\),\n/g)].map((m) => `${m[1] ?? 'Input'}(${m[2]})`);
  assert.deepEqual(layers, [
    'Input(shape=(28, 28))',
    'Reshape((28, 28, 1))',
    "Conv2D(8, (5, 5), padding='same', activation='relu')",
    'MaxPooling2D((2, 2))',
    "Conv2D(16, (5, 5), padding='same', activation='relu')",
    'MaxPooling2D((2, 2))',
    'Flatten()',
    "Dense(64, activation='relu')",
    "Dense(10, activation='softmax')",
  ]);
  const outputs = notebook.cells.flatMap((c) => ('outputs' in c ? c.outputs : [])).map((o) => JSON.stringify(o)).join('\n');
  assert.match(outputs, /conv2d \(Conv2D\) +\(None, 28, 28, 8\) +208/);
  assert.match(outputs, /max_pooling2d_1 \(MaxPooling2D\) +\(None, 7, 7, 16\) +0/);
  assert.match(outputs, /flatten \(Flatten\) +\(None, 784\) +0/);
  assert.match(outputs, /Total params: 54314 /);
  const prose = notebook.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join('')).join('\n');
  assert.match(prose, /\| Conv blocks \(filters:kernel, each Conv2D \+ 2 x 2 MaxPooling2D\) \| 8:5,16:5 \|/);
});

test('tick labels have as many decimals as their step needs, so no two read alike', () => {
  const history = [0.775, 0.9].map((accuracy, i) => ({ epoch: i + 1, loss: 1, accuracy, valLoss: 1, valAccuracy: accuracy, seconds: 1 }));
  const svg = epochChartSvg(history, 'accuracy', true, notebookStrings().chart);
  const ticks = [...svg.slice(svg.indexOf('class="y-axis"'), svg.indexOf('class="x-axis"')).matchAll(/>([\d.]+)</g)].map((m) => m[1]);
  assert.deepEqual(ticks, ['0.775', '0.800', '0.825', '0.850', '0.875', '0.900']);
});
