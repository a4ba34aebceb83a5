/** What `bench` prints: the figures of each run, the PyTorch comparison and its ratios, the machine's load. */
import { loadavg } from 'node:os';
import { t } from '../../core/text/l10n';
import { TEST_IMAGES } from '../../domain/classes';
import type { BackendInfo } from '../../domain/hyperParameters';
import type { EpochMetrics } from '../../domain/metrics';
import type { RunFigures } from './tfjsMeasurement';
import { OPENBLAS_SERIAL_DIR, type TorchBlas, type TorchFigures } from './pytorchPeer';

/** Seconds per epoch, wall and CPU: how two runs are compared. */
export interface EpochTimes {
  wall: number;
  cpu: number;
}

export function out(line = ''): void {
  process.stdout.write(line + '\n');
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The medians of a tfjs run's seconds per epoch. */
export function epochTimes(figures: RunFigures): EpochTimes {
  return { wall: median(figures.history.map((m) => m.seconds)), cpu: median(figures.cpuSeconds) };
}

export function formatLoad(): string {
  return loadavg().map((l) => l.toFixed(2)).join(', ');
}

export function printBackend(backend: BackendInfo): void {
  out(t('Backend: {0} ({1})', backend.name, backend.reason));
}

export function printEpoch(m: EpochMetrics, epochs: number): void {
  out(
    t(
      'Epoch {0}/{1}: {2} s, {3} samples/s, loss {4}, accuracy {5}, test accuracy {6}',
      m.epoch,
      epochs,
      m.seconds.toFixed(2),
      Math.round(m.samplesPerSecond),
      m.loss.toFixed(4),
      m.accuracy.toFixed(4),
      m.testAccuracy.toFixed(4),
    ),
  );
}

export function printPeakRss(): void {
  out(t('  Peak RSS (whole process, data included): {0} MB', Math.round(process.resourceUsage().maxRSS / 1024)));
}

export function printFigures(figures: RunFigures): void {
  const seconds = figures.history.map((m) => m.seconds);
  const last = figures.history[figures.history.length - 1];
  out(t('Results ({0} backend):', figures.backend));
  out(
    t(
      '  Seconds per epoch: median {0} (min {1}, max {2}, over {3} epochs)',
      median(seconds).toFixed(2),
      Math.min(...seconds).toFixed(2),
      Math.max(...seconds).toFixed(2),
      seconds.length,
    ),
  );
  out(t('  CPU seconds per epoch: median {0} (min {1}, max {2})', median(figures.cpuSeconds).toFixed(2), Math.min(...figures.cpuSeconds).toFixed(2), Math.max(...figures.cpuSeconds).toFixed(2)));
  out(t('  Training samples per second: median {0}', Math.round(median(figures.history.map((m) => m.samplesPerSecond)))));
  out(t('  Test accuracy after {0} epochs: {1}', figures.history.length, last.testAccuracy.toFixed(4)));
  out(
    t(
      '  Predicting the {0} test images in one batch: median {1} ms (of {2} runs)',
      TEST_IMAGES,
      median(figures.predictMs).toFixed(0),
      figures.predictMs.length,
    ),
  );
}

export function blasLabel(blas: TorchBlas): string {
  return blas === 'default' ? t("Debian's default BLAS") : t('OpenBLAS, one thread (LD_LIBRARY_PATH={0})', OPENBLAS_SERIAL_DIR);
}

/** Prints a PyTorch run (and the BLAS that ran) and returns ours / theirs, wall and CPU. */
export function printTorch(torch: TorchFigures, blas: TorchBlas, ours: EpochTimes): EpochTimes {
  const theirs = { wall: median(torch.seconds), cpu: median(torch.cpuSeconds) };
  out(t('PyTorch {0} ({1} thread(s)):', torch.torch, torch.threads) + ' ' + blasLabel(blas));
  for (const library of torch.blas ?? []) {
    out(t('  BLAS that ran: {0} {1} ({2}), kernels for {3}, {4} thread(s)', library.api ?? '?', library.version ?? '', library.file, library.architecture ?? '?', library.threads ?? '?'));
  }
  out(t('  Seconds per epoch: median {0} (min {1}, max {2})', theirs.wall.toFixed(2), Math.min(...torch.seconds).toFixed(2), Math.max(...torch.seconds).toFixed(2)));
  out(t('  CPU seconds per epoch: median {0}', theirs.cpu.toFixed(2)));
  out(t('  Test accuracy after {0} epochs: {1}', torch.testAccuracy.length, (torch.testAccuracy.at(-1) ?? 0).toFixed(4)));
  const ratios = { wall: ours.wall / theirs.wall, cpu: ours.cpu / theirs.cpu };
  out(t('Ours / PyTorch, time per epoch: {0} ({1} is faster).', ratios.wall.toFixed(2), ratios.wall <= 1 ? t('ours') : 'PyTorch'));
  out(t('Ours / PyTorch, CPU time per epoch: {0}.', ratios.cpu.toFixed(2)));
  return ratios;
}
