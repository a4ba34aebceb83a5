/**
 * The networks `bench` trains and what each should reach (issues #22 and #23, judged on an idle machine):
 * the tutorial's MLP, a bigger MLP, and the two CNNs, each measured against PyTorch in the same run.
 */
import { t } from '../../core/text/l10n';
import { singleHiddenLayer, TUTORIAL_ARCHITECTURE, type Architecture } from '../../domain/architecture';
import type { BenchEntry, BenchOptions } from './benchArgs';

/** What a network should reach. */
export interface NetworkTargets {
  /** Ours / PyTorch+OpenBLAS, wall time per epoch. */
  ratio: number;
  predictMs?: number;
  /** The least test accuracy after `afterEpoch` epochs (after the run's last epoch when not given). */
  accuracy?: { least: number; afterEpoch?: number };
}

/** One network entry of a bench run. */
export interface BenchNetwork {
  entry: BenchEntry;
  architecture: Architecture;
  epochs: number;
  /** What it is, in the bench's headings. */
  role: string;
  targets: NetworkTargets;
  /** Training steps the kernels are timed over for the roofline (fewer for the slow networks). */
  profileSteps: number;
}

const BIG_ARCHITECTURE: Architecture = { hiddenLayers: [{ units: 512, dropout: 0.2 }, { units: 256, dropout: 0.2 }], l2: 0 };
/** The CNN of 54,314 parameters (`--conv 8:5,16:5 --layers 64`). */
export const CNN_ARCHITECTURE: Architecture = { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], ...singleHiddenLayer(64) };
/** The CNN of 421,642 parameters (`--conv 32:3,64:3 --layers 128`). */
export const BIG_CNN_ARCHITECTURE: Architecture = { convLayers: [{ filters: 32, kernelSize: 3 }, { filters: 64, kernelSize: 3 }], ...singleHiddenLayer(128) };

/** The networks `options` asks for, in the order they run (a network of 0 epochs is skipped). */
export function benchNetworks(options: BenchOptions): BenchNetwork[] {
  const networks: BenchNetwork[] = [
    { entry: 'tutorial', architecture: TUTORIAL_ARCHITECTURE, epochs: options.epochs, role: t('the tutorial'), targets: { ratio: 0.45, predictMs: 30, accuracy: { least: 0.875 } }, profileSteps: 600 },
    { entry: 'big', architecture: BIG_ARCHITECTURE, epochs: options.bigEpochs, role: t('a bigger network'), targets: { ratio: 0.6, predictMs: 120 }, profileSteps: 600 },
    {
      entry: 'cnn', architecture: CNN_ARCHITECTURE, epochs: options.cnnEpochs, role: t('a convolutional network'),
      targets: { ratio: 1.0, accuracy: { least: 0.875, afterEpoch: 3 } }, profileSteps: 200,
    },
    { entry: 'big-cnn', architecture: BIG_CNN_ARCHITECTURE, epochs: options.bigCnnEpochs, role: t('a bigger convolutional network'), targets: { ratio: 1.5 }, profileSteps: 100 },
  ];
  return networks.filter((network) => network.epochs > 0 && options.entries.includes(network.entry));
}
