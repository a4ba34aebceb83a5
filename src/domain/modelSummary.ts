import type { Architecture } from './architecture';
import { LAYER_CLASS_NAMES, networkLayers } from './networkLayers';

/** A model's layers and parameter counts, as Keras's `model.summary()` shows them. */
export interface LayerSummary {
  name: string;
  className: string;
  outputShape: (number | null)[];
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
  optimizer: string;
  loss: string;
  metrics: string[];
}

/** The summary of the network an architecture asks for, as Keras's `model.summary()` prints it once built. */
export function summaryOf(architecture: Architecture): ModelSummary {
  const layers = networkLayers(architecture).map((layer) => ({
    name: layer.name,
    className: LAYER_CLASS_NAMES[layer.kind],
    outputShape: [null, ...layer.outputShape],
    params: layer.params,
  }));
  const totalParams = layers.reduce((sum, layer) => sum + layer.params, 0);
  return { layers, totalParams, trainableParams: totalParams, optimizer: 'Adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };
}
