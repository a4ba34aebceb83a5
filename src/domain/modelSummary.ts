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
