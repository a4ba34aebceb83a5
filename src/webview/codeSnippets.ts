/**
 * The few lines of tfjs code each notebook cell stands for, shown read-only like a notebook's input. Code
 * is code, so it is not translated; it mirrors what src/core runs (same layers, optimizer, loss, metric).
 */
import type { HyperParameters } from '../domain/hyperParameters';
import { TEST_IMAGES, TRAIN_IMAGES } from '../domain/classes';

export function dataCode(): string {
  return [
    "const train = await loadIdx('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz');",
    "const test = await loadIdx('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');",
    `// train.images: [${TRAIN_IMAGES}, 28, 28]   test.images: [${TEST_IMAGES}, 28, 28]`,
  ].join('\n');
}

export function preprocessCode(): string {
  return [`const trainImages = tf.tensor3d(train.images, [${TRAIN_IMAGES}, 28, 28]).div(255);`, `const testImages = tf.tensor3d(test.images, [${TEST_IMAGES}, 28, 28]).div(255);`].join('\n');
}

export function modelCode(params: HyperParameters): string {
  const { hiddenLayers, l2 } = params.architecture;
  const regularizer = l2 > 0 ? `, kernelRegularizer: tf.regularizers.l2({ l2: ${l2} })` : '';
  const layers = hiddenLayers.flatMap((layer) => [
    `    tf.layers.dense({ units: ${layer.units}, activation: 'relu'${regularizer} }),`,
    ...(layer.dropout > 0 ? [`    tf.layers.dropout({ rate: ${layer.dropout} }),`] : []),
  ]);
  return [
    'const model = tf.sequential({',
    '  layers: [',
    '    tf.layers.flatten({ inputShape: [28, 28] }),',
    ...layers,
    `    tf.layers.dense({ units: 10, activation: 'softmax'${regularizer} }),`,
    '  ],',
    '});',
    'model.compile({',
    `  optimizer: tf.train.adam(${params.learningRate}),`,
    "  loss: 'sparseCategoricalCrossentropy',",
    "  metrics: ['accuracy'],",
    '});',
  ].join('\n');
}

export function trainCode(params: HyperParameters): string {
  const lines = ['await model.fit(trainImages, trainLabels, {', `  epochs: ${params.epochs},`, `  batchSize: ${params.batchSize},`];
  if (params.validationSplit > 0) lines.push(`  validationSplit: ${params.validationSplit},`);
  else lines.push('  validationData: [testImages, testLabels],');
  const callbacks = ['onBatchEnd', 'onEpochEnd'];
  if (params.earlyStopping) {
    const restore = params.restoreBestWeights ? ', restoreBestWeights: true' : '';
    lines.push(`  // Keras: EarlyStopping(monitor='${params.monitor}', patience=${params.patience}, min_delta=${params.minDelta}${restore ? ', restore_best_weights=True' : ''})`);
    callbacks.push(`tf.callbacks.earlyStopping({ monitor: '${params.monitor}', patience: ${params.patience}, minDelta: ${params.minDelta} })`);
  }
  lines.push(`  callbacks: [${callbacks.join(', ')}],`, '});');
  return lines.join('\n');
}

export function evaluateCode(): string {
  return ['const [testLoss, testAcc] = model.evaluate(testImages, testLabels);', "console.log('Test accuracy:', (await testAcc.data())[0]);"].join('\n');
}

export function predictCode(): string {
  return [`const probabilities = model.predict(testImages);   // [${TEST_IMAGES}, 10]`, 'const predicted = probabilities.argMax(-1);'].join('\n');
}

export function confusionCode(): string {
  return ['const confusion = tf.math.confusionMatrix(testLabels, predicted, 10);'].join('\n');
}

export function classifyCode(): string {
  return [
    'const input = toFashionMnistInput(imageFile);   // grayscale, 28x28, light on black',
    'const probabilities = model.predict(input.div(255).reshape([1, 28, 28]));',
  ].join('\n');
}
