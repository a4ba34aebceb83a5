/** What `bench` prints: the figures of each run, the PyTorch comparison and its ratios, the machine's load. */
import { t } from '../../core/text/l10n';
import { TEST_IMAGES } from '../../domain/classes';
import type { BackendInfo } from '../../domain/hyperParameters';
import type { EpochMetrics } from '../../domain/metrics';
import { median, type EpochTimes, type RunFigures } from './benchFigures';
import type { InstructionSet } from '../../training/kernels/kernelModule';
import { cpuFlags, cpuSimdLevel, weakerKernels } from './blasKernels';
import type { KernelProfile, PeakRate } from './kernelRoofline';
import { OPENBLAS_SERIAL_DIR, type TorchBlas, type TorchFigures } from './pytorchPeer';

export function out(line = ''): void {
  process.stdout.write(line + '\n');
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
  if (figures.threads !== undefined) {
    out(t('  Threads (auto): {0} timed choices; two threads for {1}% of the steps after the first.', figures.threads.choices, Math.round(100 * figures.threads.twoThreadShare)));
  }
  out(
    t(
      '  Predicting the {0} test images ({1}): median {2} ms (of {3} runs)',
      TEST_IMAGES,
      figures.predictPath,
      median(figures.predictMs).toFixed(1),
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
  const cpu = cpuSimdLevel(cpuFlags());
  for (const library of torch.blas ?? []) {
    out(t('  BLAS that ran: {0} {1} ({2}), kernels for {3}, {4} thread(s)', library.api ?? '?', library.version ?? '', library.file, library.architecture ?? '?', library.threads ?? '?'));
    const weaker = weakerKernels(library.architecture, cpu);
    if (weaker !== undefined) {
      out(t('  WARNING: the peer ran {0} kernels ({1}) on a CPU with {2}: PyTorch was slower than this machine allows, and the ratios flatter us.', weaker[0].toUpperCase(), library.architecture ?? '?', weaker[1].toUpperCase()));
    }
  }
  if ((torch.blas ?? []).length === 0) out(t('  WARNING: which BLAS ran is not known (install python3-threadpoolctl).'));
  if (cpu !== undefined) out(t('  This CPU supports {0}.', cpu.toUpperCase()));
  out(t('  Seconds per epoch: median {0} (min {1}, max {2})', theirs.wall.toFixed(2), Math.min(...torch.seconds).toFixed(2), Math.max(...torch.seconds).toFixed(2)));
  out(t('  CPU seconds per epoch: median {0}', theirs.cpu.toFixed(2)));
  out(t('  Test accuracy after {0} epochs: {1}', torch.testAccuracy.length, (torch.testAccuracy.at(-1) ?? 0).toFixed(4)));
  const ratios = { wall: ours.wall / theirs.wall, cpu: ours.cpu / theirs.cpu };
  out(t('Ours / PyTorch, time per epoch: {0} ({1} is faster).', ratios.wall.toFixed(2), ratios.wall <= 1 ? t('ours') : 'PyTorch'));
  out(t('Ours / PyTorch, CPU time per epoch: {0}.', ratios.cpu.toFixed(2)));
  return ratios;
}

/** The peak multiply-add rate of each instruction set that runs here. */
export function printPeaks(peaks: PeakRate[], inUse: InstructionSet): void {
  out(t('Roofline: peak of a WebAssembly SIMD multiply-add loop on this CPU (one thread):'));
  for (const peak of peaks) {
    out(t('  {0}: {1} GFLOP/s{2}', peak.instructions, peak.gflops.toFixed(1), peak.instructions === inUse ? ' ' + t('(the kernels in use)') : ''));
  }
  if (!peaks.some((peak) => peak.instructions === 'relaxed-simd')) {
    out(t('  relaxed-simd: does not run in this runtime (Node {0}); the plain SIMD kernels are used.', process.versions.node));
  }
}

/** Each kernel's time per step and achieved rate against the peak of its instruction set. */
export function printProfile(profile: KernelProfile, peaks: PeakRate[]): void {
  const peak = peaks.find((p) => p.instructions === profile.instructions)?.gflops ?? Number.NaN;
  out(t('Kernels ({0}, one thread, {1} steps, CPU time): {2} ms per step', profile.instructions, profile.steps, profile.msPerStep.toFixed(3)));
  for (const timing of profile.kernels) {
    const rate = timing.gflops === undefined ? '' : t(', {0} GFLOP/s = {1}% of peak', timing.gflops.toFixed(1), ((100 * timing.gflops) / peak).toFixed(0));
    out(t('  {0}: {1} µs/step{2}', timing.kernel.padEnd(24), timing.microsecondsPerStep.toFixed(1), rate));
  }
  for (const decision of profile.threadDecisions) {
    out(t('Threads (auto), after step {0}: one thread {1} ms/step, two {2} ms/step: chose {3}.', decision.afterStep, decision.oneThreadMs.toFixed(3), decision.twoThreadsMs.toFixed(3), decision.threads));
  }
}
