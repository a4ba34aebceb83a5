/**
 * The first Dense layer's weights after an epoch, as the worker sends them: each hidden unit's 784 weights are
 * a 28 × 28 picture of what excites it. Quantized to int8 per unit (about 100 KB for 128 units).
 */

/** How many test images the worker lists per unit (those that excite it most). */
export const TOP_IMAGES_PER_UNIT = 8;

/** Gradient × input of the predicted class's probability over a 28 × 28 input (the worker's saliency). */
export interface SaliencyMap {
  predicted: number;
  probability: number;
  /** 784 values. */
  values: Float32Array;
  /** The largest |value|. */
  scale: number;
}

export interface FirstLayerSnapshot {
  epoch: number;
  units: number;
  /** 784 × units, the kernel's layout: weight(pixel p, unit u) ≈ weights[p·units + u] / 127 · unitScale[u]. */
  weights: Int8Array;
  /** Per unit: the largest |weight| (its picture's scale). */
  unitScale: Float32Array;
  /** The next Dense layer's kernel, units × nextUnits (floats). */
  next: Float32Array;
  nextUnits: number;
  /** True when the next layer is the output layer: its units are the ten classes. */
  nextIsClasses: boolean;
  /** units × topK test-image indices, the strongest activation first. */
  topImages: Uint16Array;
  /** TOP_IMAGES_PER_UNIT, or fewer when the test set is smaller. */
  topK: number;
}
