/**
 * The model cell's named networks: the tutorial's, and the variants TensorFlow's "Overfit and underfit"
 * tutorial compares (a wider one, a deeper one, and the deeper one with dropout and L2 against over-fitting).
 */
import { sameArchitecture, TUTORIAL_ARCHITECTURE, type Architecture } from './architecture';

export type ModelPresetId = 'tutorial' | 'wider' | 'deeper' | 'regularized';

export const MODEL_PRESETS: readonly { id: ModelPresetId; architecture: Architecture }[] = [
  { id: 'tutorial', architecture: TUTORIAL_ARCHITECTURE },
  { id: 'wider', architecture: { hiddenLayers: [{ units: 512, dropout: 0 }], l2: 0 } },
  { id: 'deeper', architecture: { hiddenLayers: [{ units: 256, dropout: 0 }, { units: 128, dropout: 0 }], l2: 0 } },
  { id: 'regularized', architecture: { hiddenLayers: [{ units: 256, dropout: 0.2 }, { units: 128, dropout: 0.2 }], l2: 0.0001 } },
];

/** The preset an architecture is, or undefined for a network of the user's own. */
export function presetOf(architecture: Architecture): ModelPresetId | undefined {
  return MODEL_PRESETS.find((preset) => sameArchitecture(preset.architecture, architecture))?.id;
}
