/**
 * One measured training run of ours: the worker's run loop (runTutorial) on this thread with the data
 * already loaded, the CPU seconds of each epoch, and the time to predict the whole test set in one batch.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { defaultCacheDir } from '../../core/data/dataLocation';
import type { FashionMnist } from '../../core/data/dataset';
import { TrainerError } from '../../core/errors';
import { t } from '../../core/text/l10n';
import type { Architecture } from '../../domain/architecture';
import type { TrainingThreads } from '../../protocol/worker';
import { DEFAULT_HYPER_PARAMETERS, type BackendChoice, type HyperParameters } from '../../domain/hyperParameters';
import { selectBackend, tfjsNodeLoader } from '../../training/backend';
import { KernelTrainer } from '../../training/kernels/kernelTrainer';
import { architectureOf } from '../../training/model';
import { kernelsRun, predictAll, trainerPredictions } from '../../training/predictAll';
import { runTutorial } from '../../training/run';
import type { Trainer } from '../../training/trainer';
import { cliNativeBackendFolders } from '../common';
import { threadUse, type RunFigures } from './benchFigures';
import { printBackend, printEpoch } from './benchReport';

/** How often the whole test set is predicted after a run. */
const PREDICT_REPEATS = 5;

/** What a run trains: the bench's batch size, the network and its epochs, on one backend. */
export interface MeasuredRun {
  backend: BackendChoice;
  batchSize: number;
  architecture: Architecture;
  epochs: number;
  /** The training kernels' threads (StartRequest.threads); default 'auto'. */
  threads?: TrainingThreads;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Predicts the whole test set a few times with the trained model, as the run does: through the forward
 * kernels (on two threads unless the run was limited to one) where they run, else tfjs; milliseconds each.
 */
async function timePredictions(run: MeasuredRun, model: LayersModel, data: FashionMnist): Promise<{ times: number[]; path: string }> {
  const { tf } = await selectBackend(run.backend, tfjsNodeLoader(cliNativeBackendFolders()));
  const times: number[] = [];
  if (!kernelsRun(model)) {
    for (let i = 0; i < PREDICT_REPEATS; i++) times.push(predictAll(tf, model, data.test).predictMs);
    return { times, path: t('tfjs model.apply') };
  }
  const threads = run.threads === 1 ? 1 : 2;
  const predictor = new KernelTrainer(tf, model, { architecture: architectureOf(model), batchSize: 1, learningRate: 0, threads });
  try {
    // One untimed pass: the helper thread starts and the kernels reach their optimized code.
    trainerPredictions(predictor, tf, model, data.test);
    for (let i = 0; i < PREDICT_REPEATS; i++) times.push(trainerPredictions(predictor, tf, model, data.test).predictMs);
  } finally {
    predictor.dispose();
  }
  return { times, path: t('forward kernels, {0} thread(s)', threads) };
}

/** Trains as asked (the tutorial's other hyper-parameters), printing each epoch, and returns the figures. */
export async function measureTfjsRun(run: MeasuredRun, data: FashionMnist): Promise<RunFigures> {
  const params: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS, epochs: run.epochs, batchSize: run.batchSize, backend: run.backend };
  let backendName: string = run.backend;
  let failure: TrainerError | undefined;
  let trainer: Trainer | undefined;
  let epochCpu = process.cpuUsage();
  const cpuSeconds: number[] = [];
  const result = await runTutorial({
    request: { params, cacheDir: defaultCacheDir(), locale: 'en', allowDownload: false, nativeBackendFolders: cliNativeBackendFolders(), threads: run.threads },
    loadData: async () => data,
    architecture: run.architecture,
    shouldStop: () => false,
    onTrainer: (made) => {
      trainer = made;
    },
    onEvent: (event) => {
      if (event.type === 'backend') {
        backendName = event.backend.name;
        printBackend(event.backend);
      } else if (event.type === 'started') {
        epochCpu = process.cpuUsage();
      } else if (event.type === 'epoch') {
        cpuSeconds.push(cpuSecondsSince(epochCpu));
        epochCpu = process.cpuUsage();
        printEpoch(event.metrics, run.epochs);
      } else if (event.type === 'error') {
        failure = new TrainerError(event.error.code, event.error.message, event.error.file, event.error.action);
      }
    },
  });
  if (result.status !== 'finished' || result.model === undefined) {
    throw failure ?? new TrainerError('INTERNAL', t('The benchmark run did not finish.'));
  }
  try {
    const predictions = await timePredictions(run, result.model, data);
    // Only auto threads make decisions (fixed threads: none, so no line).
    const threads = trainer instanceof KernelTrainer ? threadUse(trainer.threadDecisions, trainer.steps) : undefined;
    return { backend: backendName, history: result.history, cpuSeconds, predictMs: predictions.times, predictPath: predictions.path, threads };
  } finally {
    result.model.dispose();
  }
}
