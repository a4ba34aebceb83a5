/**
 * The Python (TensorFlow/Keras) source of each code cell, built from the run's settings so that running the
 * notebook repeats this run: the same data and limits, the same layers, optimizer, epochs, batch size,
 * validation and early stopping. Code is code: it is not translated.
 */
import { CLASS_NAMES } from '../../domain/classes';
import { convLayersOf } from '../../domain/architecture';
import type { NotebookSettings } from './notebookRun';

/** A number as a Python literal that reads back to the same value (JavaScript's shortest form: 0.001, 1e-7). */
export function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

function pythonString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function setupCode(settings: NotebookSettings): string {
  return [
    'import numpy as np',
    'import matplotlib.pyplot as plt',
    'import tensorflow as tf',
    'from tensorflow import keras',
    '',
    '# The seed this run used; Keras draws other numbers from it than tfjs did, so results come out close, not equal.',
    `keras.utils.set_random_seed(${settings.seed})`,
  ].join('\n');
}

export function dataCode(settings: NotebookSettings): string {
  const lines = [
    'fashion_mnist = keras.datasets.fashion_mnist',
    '(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()',
  ];
  if (settings.trainLimit !== undefined) {
    lines.push(`train_images, train_labels = train_images[:${settings.trainLimit}], train_labels[:${settings.trainLimit}]`);
  }
  if (settings.testLimit !== undefined) {
    lines.push(`test_images, test_labels = test_images[:${settings.testLimit}], test_labels[:${settings.testLimit}]`);
  }
  lines.push('', `class_names = [${CLASS_NAMES.map(pythonString).join(', ')}]`, 'print(train_images.shape, test_images.shape)');
  return lines.join('\n');
}

export function preprocessCode(): string {
  return ['train_images = train_images / 255.0', 'test_images = test_images / 255.0'].join('\n');
}

export function modelCode(settings: NotebookSettings): string {
  const { hiddenLayers, l2 } = settings.architecture;
  const regularizer = l2 > 0 ? `, kernel_regularizer=keras.regularizers.l2(${pythonNumber(l2)})` : '';
  const layers = ['    keras.Input(shape=(28, 28)),'];
  const conv = convLayersOf(settings.architecture);
  if (conv.length > 0) layers.push('    keras.layers.Reshape((28, 28, 1)),');
  for (const block of conv) {
    layers.push(
      `    keras.layers.Conv2D(${block.filters}, (${block.kernelSize}, ${block.kernelSize}), padding='same', activation='relu'),`,
      '    keras.layers.MaxPooling2D((2, 2)),',
    );
  }
  layers.push('    keras.layers.Flatten(),');
  for (const layer of hiddenLayers) {
    layers.push(`    keras.layers.Dense(${layer.units}, activation='relu'${regularizer}),`);
    if (layer.dropout > 0) layers.push(`    keras.layers.Dropout(${pythonNumber(layer.dropout)}),`);
  }
  layers.push(`    keras.layers.Dense(10, activation='softmax'${regularizer}),`);
  return [
    'model = keras.Sequential([',
    ...layers,
    '])',
    '',
    'model.compile(',
    `    optimizer=keras.optimizers.Adam(learning_rate=${pythonNumber(settings.learningRate)}),`,
    '    loss=keras.losses.SparseCategoricalCrossentropy(),',
    "    metrics=['accuracy'],",
    ')',
    'model.summary()',
  ].join('\n');
}

export function trainCode(settings: NotebookSettings): string {
  const lines: string[] = [];
  const arguments_ = [`    epochs=${settings.epochs},`, `    batch_size=${settings.batchSize},`];
  if (settings.validationSplit !== undefined) arguments_.push(`    validation_split=${pythonNumber(settings.validationSplit)},`);
  else arguments_.push('    validation_data=(test_images, test_labels),');
  const stopping = settings.earlyStopping;
  if (stopping) {
    if (stopping.patience === undefined) {
      lines.push('# Patience as long as the run: it never stops early, it only ends with the best epoch\'s weights.');
    }
    lines.push(
      'early_stopping = keras.callbacks.EarlyStopping(',
      `    monitor=${pythonString(stopping.monitor)},`,
      `    patience=${stopping.patience ?? settings.epochs},`,
      `    min_delta=${pythonNumber(stopping.minDelta)},`,
      `    restore_best_weights=${stopping.restoreBestWeights ? 'True' : 'False'},`,
      '    verbose=1,',
      ')',
    );
    arguments_.push('    callbacks=[early_stopping],');
  }
  lines.push('history = model.fit(', '    train_images,', '    train_labels,', ...arguments_, ')');
  return lines.join('\n');
}

export function chartsCode(validationName: string): string {
  return [
    "epochs_run = range(1, len(history.history['loss']) + 1)",
    "for metric in ['accuracy', 'loss']:",
    '    plt.figure(figsize=(6.4, 4.2))',
    "    plt.plot(epochs_run, history.history[metric], 'o-', label='train')",
    `    plt.plot(epochs_run, history.history['val_' + metric], 's--', label=${pythonString(validationName)})`,
    "    plt.xlabel('epoch')",
    '    plt.ylabel(metric)',
    '    plt.legend()',
    '    plt.show()',
  ].join('\n');
}

export function evaluateCode(): string {
  return ['test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)', "print('\\nTest accuracy:', test_acc)"].join('\n');
}

export function predictCode(): string {
  return [
    'predictions = model.predict(test_images)',
    'predicted_labels = np.argmax(predictions, axis=1)',
    'print(np.round(predictions[0], 3))',
    "print('Predicted:', class_names[predicted_labels[0]], '- label:', class_names[test_labels[0]])",
  ].join('\n');
}

export function confusionCode(): string {
  return [
    'confusion = tf.math.confusion_matrix(test_labels, predicted_labels, num_classes=10).numpy()',
    'plt.figure(figsize=(6.6, 6.2))',
    "plt.imshow(confusion, cmap='Blues')",
    'plt.xticks(range(10))',
    'plt.yticks(range(10))',
    "plt.xlabel('predicted')",
    "plt.ylabel('true')",
    'for true_class in range(10):',
    '    for predicted_class in range(10):',
    '        count = confusion[true_class, predicted_class]',
    "        color = 'white' if count > confusion.max() / 2 else 'black'",
    "        plt.text(predicted_class, true_class, count, ha='center', va='center', color=color)",
    'plt.show()',
  ].join('\n');
}
