/**
 * The Python (Keras) source of a sweep's notebook: the shared settings and the grid as dictionaries, the
 * configurations as the grid's product in the sweep's order (itertools.product) or the sample it drew, and a
 * loop that builds, trains and ranks one model per configuration, with Optuna's median rule as a Keras
 * callback when the sweep pruned. Code is code: it is not translated.
 */
import { dropoutList, type HyperParameters } from '../../domain/hyperParameters';
import type { SweepableParameter, SweepDefinition, SweepValue } from '../../domain/sweep';
import { pythonNumber } from './pythonCode';

/** The key of each swept parameter in the notebook's settings (a single width is a one-layer list). */
export const PYTHON_KEYS: Record<SweepableParameter, string> = {
  epochs: 'epochs',
  batchSize: 'batch_size',
  learningRate: 'learning_rate',
  hiddenLayers: 'hidden_layers',
  hiddenUnits: 'hidden_layers',
  dropout: 'dropout',
  l2: 'l2',
  seed: 'seed',
  validationSplit: 'validation_split',
  patience: 'patience',
  minDelta: 'min_delta',
};

/** An alternative as a Python literal (a single hidden width becomes a list of one layer). */
function pythonValue(parameter: SweepableParameter, value: SweepValue): string {
  if (parameter === 'hiddenUnits') return `[${pythonNumber(value as number)}]`;
  return typeof value === 'number' ? pythonNumber(value) : `[${value.map(pythonNumber).join(', ')}]`;
}

/**
 * A number as Python's repr prints it (what `print` shows of a dict): Python writes exponents with two
 * digits and switches to them below 1e-4, where JavaScript writes 0.00001.
 */
export function pythonRepr(value: number): string {
  if (Number.isInteger(value) || value === 0) return String(value);
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent >= -4 && exponent < 16) return String(value);
  return value.toExponential().replace(/e([+-])(\d)$/, (_, sign: string, digit: string) => `e${sign}0${digit}`);
}

/** An alternative as Python's print shows it inside the configuration's dict. */
export function pythonReprOf(parameter: SweepableParameter, value: SweepValue): string {
  if (parameter === 'hiddenUnits') return `[${pythonRepr(value as number)}]`;
  return typeof value === 'number' ? pythonRepr(value) : `[${value.map(pythonRepr).join(', ')}]`;
}

/** The configuration of a grid point as Python prints the dict: `{'hidden_layers': [64], 'learning_rate': 0.003}`. */
export function configurationRepr(definition: SweepDefinition, choice: readonly number[]): string {
  const items = definition.axes.map((axis, a) => `'${PYTHON_KEYS[axis.parameter]}': ${pythonReprOf(axis.parameter, axis.values[choice[a]])}`);
  return `{${items.join(', ')}}`;
}

function sharedSettings(base: HyperParameters): string[] {
  const rates = dropoutList(base.architecture);
  return [
    'shared = {',
    `    'epochs': ${base.epochs},`,
    `    'batch_size': ${base.batchSize},`,
    `    'learning_rate': ${pythonNumber(base.learningRate)},`,
    `    'hidden_layers': [${base.architecture.hiddenLayers.map((layer) => layer.units).join(', ')}],`,
    `    'dropout': [${rates.map(pythonNumber).join(', ')}],`,
    `    'l2': ${pythonNumber(base.architecture.l2)},`,
    `    'seed': ${base.seed},`,
    `    'validation_split': ${pythonNumber(base.validationSplit)},`,
    `    'early_stopping': ${base.earlyStopping ? 'True' : 'False'},`,
    `    'patience': ${base.patience},`,
    `    'min_delta': ${pythonNumber(base.minDelta)},`,
    '}',
  ];
}

/** The cell that defines the grid, the configurations and the model builder. */
export function gridCode(definition: SweepDefinition, points: readonly number[]): string {
  const grid = definition.axes.map((axis) => `    '${PYTHON_KEYS[axis.parameter]}': [${axis.values.map((value) => pythonValue(axis.parameter, value)).join(', ')}],`);
  const sampled = definition.trials !== undefined && points.length < definition.axes.reduce((size, axis) => size * axis.values.length, 1);
  return [
    'import itertools',
    '',
    '# What every trial shares; a configuration replaces some of it.',
    ...sharedSettings(definition.base),
    '',
    '# The alternatives, in the order the sweep was given them; the configurations are their product.',
    'grid = {',
    ...grid,
    '}',
    'configurations = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]',
    ...(sampled ? [`# The sweep ran a random sample of ${points.length} of them (seed ${definition.sampleSeed}):`, `configurations = [configurations[i] for i in [${points.join(', ')}]]`] : []),
    "print(len(configurations), 'configurations')",
    '',
    '',
    'def build_model(hidden_layers, dropout, l2, learning_rate):',
    '    regularizer = keras.regularizers.l2(l2) if l2 > 0 else None',
    '    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]',
    '    for index, units in enumerate(hidden_layers):',
    "        layers.append(keras.layers.Dense(units, activation='relu', kernel_regularizer=regularizer))",
    '        # One dropout rate for every layer, or one per layer.',
    '        rate = dropout[0] if len(dropout) == 1 else (dropout[index] if index < len(dropout) else 0)',
    '        if rate > 0:',
    '            layers.append(keras.layers.Dropout(rate))',
    "    layers.append(keras.layers.Dense(10, activation='softmax', kernel_regularizer=regularizer))",
    '    model = keras.Sequential(layers)',
    '    model.compile(',
    '        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),',
    '        loss=keras.losses.SparseCategoricalCrossentropy(),',
    "        metrics=['accuracy'],",
    '    )',
    '    return model',
  ].join('\n');
}

/** The Keras callback for Optuna's median rule, over the trials trained before this one. */
function medianPruningCode(monitor: string, better: string): string[] {
  return [
    'class MedianPruning(keras.callbacks.Callback):',
    '    """Optuna\'s median rule: stop when the best value so far is worse than the median of the earlier',
    '    trials at this epoch, once two of them have reached it."""',
    '',
    '    def __init__(self, earlier):',
    '        super().__init__()',
    '        self.earlier = earlier',
    '        self.best = None',
    '        self.pruned = False',
    '',
    '    def on_epoch_end(self, epoch, logs=None):',
    `        value = logs['${monitor}']`,
    `        self.best = value if self.best is None else ${better}(self.best, value)`,
    '        others = [history[epoch] for history in self.earlier if len(history) > epoch]',
    `        if len(others) >= 2 and ${better}(self.best, float(np.median(others))) != self.best:`,
    '            self.pruned = True',
    '            self.model.stop_training = True',
    '',
    '',
  ];
}

/** The cell that trains one model per configuration and ranks them by the monitored metric. */
export function sweepLoopCode(definition: SweepDefinition): string {
  const monitor = definition.base.monitor;
  const better = monitor === 'val_accuracy' ? 'max' : 'min';
  const restore = definition.base.restoreBestWeights ? 'True' : 'False';
  return [
    ...(definition.prune ? medianPruningCode(monitor, better) : []),
    'results = []',
    ...(definition.prune ? ['monitored_histories = []'] : []),
    'for number, configuration in enumerate(configurations, start=1):',
    '    settings = {**shared, **configuration}',
    "    keras.utils.set_random_seed(settings['seed'])",
    "    model = build_model(settings['hidden_layers'], settings['dropout'], settings['l2'], settings['learning_rate'])",
    '    callbacks = []',
    ...(definition.prune ? ['    pruning = MedianPruning(monitored_histories)', '    callbacks.append(pruning)'] : []),
    `    if settings['early_stopping'] or 'patience' in configuration:`,
    '        callbacks.append(keras.callbacks.EarlyStopping(',
    `            monitor='${monitor}', patience=settings['patience'], min_delta=settings['min_delta'], restore_best_weights=${restore}))`,
    "    if settings['validation_split'] > 0:",
    "        validation = {'validation_split': settings['validation_split']}",
    '    else:',
    "        validation = {'validation_data': (test_images, test_labels)}",
    '    history = model.fit(',
    '        train_images, train_labels,',
    "        epochs=settings['epochs'], batch_size=settings['batch_size'],",
    '        callbacks=callbacks, verbose=0, **validation,',
    '    )',
    `    monitored = history.history['${monitor}']`,
    ...(definition.prune ? ['    monitored_histories.append(monitored)'] : []),
    `    best = ${better}(monitored)`,
    '    best_epoch = monitored.index(best) + 1',
    ...(definition.prune ? ["    state = 'pruned' if pruning.pruned else 'finished'"] : ["    state = 'finished'"]),
    '    results.append((number, configuration, best, best_epoch, state))',
    `    print(f'Trial {number}/{len(configurations)} [{state}] {configuration}: ${monitor} {best:.4f} at epoch {best_epoch}')`,
    '',
    `results.sort(key=lambda result: result[2]${better === 'max' ? ', reverse=True' : ''})`,
    'print()',
    `print('Ranked by ${monitor}:')`,
    'for rank, (number, configuration, best, best_epoch, state) in enumerate(results, start=1):',
    "    print(f'{rank}. trial {number} {configuration}: {best:.4f} at epoch {best_epoch} [{state}]')",
    "print('Best:', results[0][1])",
  ].join('\n');
}
