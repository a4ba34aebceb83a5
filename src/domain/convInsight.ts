/**
 * What a conv network shows of what it learned (the dashboard's views, as CNN Explainer shows them): the
 * first conv layer's K × K filters, and one picture's feature maps after each conv block's Conv2D + relu.
 */

import type { SaliencyMap } from './firstLayer';

/** The first Conv2D's filters (one input channel: the picture), each a K × K picture of weights. */
export interface ConvFiltersSnapshot {
  epoch: number;
  kernelSize: number;
  filters: number;
  /** filters × K × K, filter-major (filter f's weight at (y, x) is weights[(f·K + y)·K + x]); Keras stores [K, K, 1, filters]. */
  weights: Float32Array;
  /** Per filter: the largest |weight| (its picture's scale). */
  scale: Float32Array;
  /** Per filter: its bias. */
  bias: Float32Array;
}

/** One conv block's output for one picture: `filters` maps of side × side, quantized to 0..255 per map. */
export interface FeatureMapBlock {
  side: number;
  filters: number;
  /** filters × side × side, map-major; value / 255 · scale[f] is the activation (relu: never below 0). */
  values: Uint8Array;
  /** Per map: its largest activation (0 for a map that is all zero). */
  scale: Float32Array;
}

export interface FeatureMaps {
  /** One per conv block, input side first. */
  blocks: FeatureMapBlock[];
}

/** What the saved model makes of one picture: its saliency, and for a conv network its feature maps. */
export interface PictureInsight {
  saliency: SaliencyMap;
  /** Absent for a network without conv blocks. */
  featureMaps?: FeatureMaps;
}
