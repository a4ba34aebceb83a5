/**
 * The model cell's named networks: the tutorial's, and the variants TensorFlow's "Overfit and underfit"
 * tutorial compares (a wider one, a deeper one, and the deeper one with dropout and L2 against over-fitting),
 * and the two small convolutional networks every reader tries next.
 */
import { sameArchitecture, TUTORIAL_ARCHITECTURE, type Architecture } from './architecture';

export type ModelPresetId = 'tutorial' | 'wider' | 'deeper' | 'regularized' | 'convnet' | 'cnn';

export const MODEL_PRESETS: readonly { id: ModelPresetId; architecture: Architecture }[] = [
  { id: 'tutorial', architecture: TUTORIAL_ARCHITECTURE },
  { id: 'wider', architecture: { hiddenLayers: [{ units: 512, dropout: 0 }], l2: 0 } },
  { id: 'deeper', architecture: { hiddenLayers: [{ units: 256, dropout: 0 }, { units: 128, dropout: 0 }], l2: 0 } },
  { id: 'regularized', architecture: { hiddenLayers: [{ units: 256, dropout: 0.2 }, { units: 128, dropout: 0.2 }], l2: 0.0001 } },
  // TensorFlow.js's MNIST example's ConvNet: Conv2D(8, 5×5) and Conv2D(16, 5×5), each with 2×2 max pooling (54,314 parameters).
  { id: 'convnet', architecture: { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 } },
  // TensorFlow's CNN tutorial's blocks: Conv2D(32, 3×3) and Conv2D(64, 3×3) with pooling, then Dense(128) (421,642 parameters).
  { id: 'cnn', architecture: { convLayers: [{ filters: 32, kernelSize: 3 }, { filters: 64, kernelSize: 3 }], hiddenLayers: [{ units: 128, dropout: 0 }], l2: 0 } },
];

/** The preset an architecture is, or undefined for a network of the user's own. */
export function presetOf(architecture: Architecture): ModelPresetId | undefined {
  return MODEL_PRESETS.find((preset) => sameArchitecture(preset.architecture, architecture))?.id;
}
