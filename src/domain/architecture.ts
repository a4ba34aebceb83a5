/**
 * The networks the trainer builds and trains: Flatten(28×28) -> one or more Dense(units, relu) hidden
 * layers, each optionally followed by inverted Dropout(rate) -> Dense(10, softmax); optionally Keras's
 * l2(λ) on every Dense kernel (the loss gains λ·Σw²). Biases are not regularized.
 */
import { PIXELS } from './classes';

export interface HiddenLayer {
  /** Width of the Dense layer (relu). */
  units: number;
  /** Dropout rate after it, in [0, 1); 0 means no Dropout layer. */
  dropout: number;
}

export interface Architecture {
  hiddenLayers: HiddenLayer[];
  /** λ of Keras's kernel_regularizer=l2(λ) on every Dense kernel; 0 means none. */
  l2: number;
}

/** The TensorFlow tutorial's network: one hidden layer of 128 units. */
export const TUTORIAL_ARCHITECTURE: Architecture = { hiddenLayers: [{ units: 128, dropout: 0 }], l2: 0 };

/** The tutorial's network with another hidden width (the `hiddenUnits` hyper-parameter). */
export function singleHiddenLayer(units: number): Architecture {
  return { hiddenLayers: [{ units, dropout: 0 }], l2: 0 };
}

/** Whether it is the tutorial's shape (one hidden layer, no dropout, no L2), whatever the width. */
export function isSingleHiddenLayer(architecture: Architecture): boolean {
  return architecture.hiddenLayers.length === 1 && architecture.hiddenLayers[0].dropout === 0 && architecture.l2 === 0;
}

/** "784-512-256-10, dropout 0.2, l2 0.001": how the bench and logs name a network. */
export function describeArchitecture(architecture: Architecture): string {
  const widths = [PIXELS, ...architecture.hiddenLayers.map((layer) => layer.units), 10].join('-');
  const rates = [...new Set(architecture.hiddenLayers.map((layer) => layer.dropout).filter((rate) => rate > 0))];
  const parts = [widths];
  if (rates.length > 0) parts.push(`dropout ${rates.join('/')}`);
  if (architecture.l2 > 0) parts.push(`l2 ${architecture.l2}`);
  return parts.join(', ');
}
