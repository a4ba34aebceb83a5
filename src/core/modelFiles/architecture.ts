/**
 * The architecture check of a model.json, in plain JSON (no tfjs): one 28x28 input, one output of 10 units,
 * and an output activation the classifier knows how to read (softmax, or logits it turns into softmax).
 * The host checks imports with it and the worker checks every model it loads.
 */
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../../domain/classes';
import { TrainerError } from '../errors';
import { invalidModel } from './modelErrors';
import { t } from '../text/l10n';


interface LayerJson {
  class_name?: string;
  name?: string;
  config?: Record<string, unknown>;
  inbound_nodes?: unknown;
}

/**
 * Checks a model.json (or its `modelTopology`) for the shape this extension needs: one input of 28x28
 * pixels (batch_input_shape [null, 28, 28], [null, 28, 28, 1] or [null, 784]) and one output, a Dense
 * layer of 10 units whose outputs are probabilities (softmax) or logits (no activation, as the current
 * TensorFlow tutorial builds it; the classifier applies the softmax). Sequential and functional models are
 * read. Returns which of the two the model outputs; throws MODEL_INVALID saying what differs.
 */
export function checkModelArchitecture(modelJson: unknown, file?: string): OutputKind {
  const root = asObject(modelJson);
  const topology = asObject(root?.modelTopology ?? modelJson);
  // Keras writes {class_name, config}, sometimes wrapped in {model_config: ...} (a full Keras save).
  const modelConfig = asObject(topology?.model_config) ?? topology;
  const className = modelConfig?.class_name;
  if (modelConfig === undefined || typeof className !== 'string') {
    throw invalidModel(file, t('model.json does not describe a Keras/tfjs layers model (no model topology was found).'));
  }
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') {
    throw invalidModel(file, t('The model is a {0}; only Sequential and functional layers models can be used.', className));
  }
  const config = modelConfig.config;
  // Old Sequential files keep the layers as the config itself.
  const listed = Array.isArray(config) ? config : asObject(config)?.layers;
  // Entries that are not objects describe no layer; dropping them keeps a damaged file from crashing the check.
  const layers = Array.isArray(listed) ? (listed.filter((layer) => asObject(layer) !== undefined) as LayerJson[]) : [];
  if (layers.length === 0) throw invalidModel(file, t('model.json lists no layers.'));

  let inputShape: unknown;
  let outputLayer: LayerJson | undefined;
  if (className === 'Sequential') {
    const first = layers[0];
    inputShape = first?.config?.batch_input_shape ?? first?.config?.batch_shape ?? asObject(config)?.build_input_shape;
    outputLayer = layers[layers.length - 1];
  } else {
    const cfg = asObject(config) ?? {};
    const inputs = cfg.input_layers as unknown[] | undefined;
    const outputs = cfg.output_layers as unknown[] | undefined;
    if (!Array.isArray(inputs) || inputs.length !== 1) throw invalidModel(file, t('The model must have exactly one input, but it has {0}.', Array.isArray(inputs) ? inputs.length : 0));
    if (!Array.isArray(outputs) || outputs.length !== 1) throw invalidModel(file, t('The model must have exactly one output, but it has {0}.', Array.isArray(outputs) ? outputs.length : 0));
    const inputName = endpointName(inputs[0]);
    const outputName = endpointName(outputs[0]);
    const inputLayer = layerNamed(layers, inputName);
    inputShape = inputLayer?.config?.batch_input_shape ?? inputLayer?.config?.batch_shape;
    outputLayer = layerNamed(layers, outputName);
  }

  if (!Array.isArray(inputShape)) {
    throw invalidModel(file, t('The model does not declare its input shape; it must take 28 x 28 pixels ([null, 28, 28]) or 784 values ([null, 784]).'));
  }
  if (!isPictureShape(inputShape)) {
    throw invalidModel(
      file,
      t('The model takes inputs of shape {0}, but it must take 28 x 28 pixels ([null, 28, 28]) or 784 values ([null, 784]).', describeShape(inputShape)),
    );
  }
  // The last layer with units decides the number of classes (an Activation or Softmax layer may follow it).
  const lastIndex = outputLayer === undefined ? -1 : layers.indexOf(outputLayer);
  const denseLike = [...layers.slice(0, lastIndex + 1)].reverse().find((l) => typeof l.config?.units === 'number');
  if (outputLayer === undefined || denseLike === undefined) {
    throw invalidModel(file, t('The model has no Dense output layer; it must end in a Dense layer with 10 units.'));
  }
  const units = denseLike.config?.units as number;
  if (units !== NUM_CLASSES) {
    throw invalidModel(file, t('The model ends in a layer with {0} units, but it must output 10 class probabilities.', units));
  }
  const activation = finalActivation(layers.slice(layers.indexOf(denseLike), lastIndex + 1));
  if (activation === 'softmax') return 'probabilities';
  if (activation === 'linear') return 'logits';
  throw new TrainerError(
    'MODEL_INVALID',
    t('The model\'s output layer uses the {0} activation, so its 10 outputs are not class probabilities and any answer would be wrong.', activation),
    file,
    t('Use a model whose last layer is Dense(10, softmax), or Dense(10) without an activation (logits), or train a new one.'),
  );
}

/** What the model's 10 outputs are: probabilities (softmax) or logits (to which the classifier applies softmax). */
export type OutputKind = 'probabilities' | 'logits';

/** Layers that pass values through unchanged, between the Dense output layer and the model's output. */
const PASS_THROUGH = new Set(['Dropout', 'Flatten', 'Reshape', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization']);

/**
 * The activation the model's output ends with: the Dense layer's own (none is `linear`), changed by any
 * Activation or Softmax layer after it. A layer of another kind after it makes the outputs unknown.
 */
function finalActivation(tail: LayerJson[]): string {
  let activation = 'linear';
  for (const layer of tail) {
    const cls = layer.class_name ?? '';
    if (typeof layer.config?.units === 'number' || cls === 'Activation') {
      const named = layer.config?.activation;
      activation = typeof named === 'string' ? named : asObject(named)?.class_name !== undefined ? String(asObject(named)?.class_name) : 'linear';
    } else if (cls === 'Softmax') {
      activation = 'softmax';
    } else if (!PASS_THROUGH.has(cls)) {
      return cls || 'unknown';
    }
  }
  return activation.toLowerCase() === 'softmax' ? 'softmax' : activation === 'linear' || activation === 'None' ? 'linear' : activation;
}

/** The layer name in a functional model's input or output entry (`[name, nodeIndex, tensorIndex]`). */
function endpointName(entry: unknown): string | undefined {
  const name: unknown = Array.isArray(entry) ? entry[0] : undefined;
  return typeof name === 'string' ? name : undefined;
}

function layerNamed(layers: LayerJson[], name: string | undefined): LayerJson | undefined {
  return name === undefined ? undefined : layers.find((l) => l.name === name || l.config?.name === name);
}

function isPictureShape(shape: unknown): boolean {
  if (!Array.isArray(shape)) return false;
  const [batch, ...rest] = shape as unknown[];
  if (batch !== null && batch !== undefined && typeof batch !== 'number') return false;
  const dims = rest.join(',');
  return dims === `${PIXELS}` || dims === `${IMAGE_SIZE},${IMAGE_SIZE}` || dims === `${IMAGE_SIZE},${IMAGE_SIZE},1`;
}

function describeShape(shape: unknown[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

