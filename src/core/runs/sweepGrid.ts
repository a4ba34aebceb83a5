/**
 * A sweep's grid: the product of its axes' alternatives in the order given (the first axis varies
 * slowest, as Python's itertools.product), an optional seeded random sample of it, and each grid point as a
 * run's hyper-parameters, checked by the same rules as a single run (core/hyperParameters.ts).
 */
import { TrainerError } from '../errors';
import { createRng, shuffledIndices } from '../seededRandom';
import { t } from '../text/l10n';
import { dropoutProblem, validateHyperParameters } from '../hyperParameters';
import { architectureFrom, dropoutList, type HyperParameters } from '../../domain/hyperParameters';
import type { SweepAxis, SweepDefinition, SweepValue } from '../../domain/sweep';

/** The most grid points a sweep may have (before a `trials` sample): beyond it, a grid is a typo. */
export const MAX_GRID_POINTS = 100_000;

/** The number of grid points: the product of the axes' lengths (1 for no axes). */
export function gridSize(axes: readonly SweepAxis[]): number {
  return axes.reduce((size, axis) => size * axis.values.length, 1);
}

/** Each axis's alternative (an index into its values) at grid point `point`; the last axis varies fastest. */
export function gridChoice(axes: readonly SweepAxis[], point: number): number[] {
  const choice = new Array<number>(axes.length);
  let rest = point;
  for (let a = axes.length - 1; a >= 0; a--) {
    const length = axes[a].values.length;
    choice[a] = rest % length;
    rest = Math.floor(rest / length);
  }
  return choice;
}

/**
 * The grid points the sweep runs, in the order it runs them: every point in grid order, or, with `trials`,
 * a sample of that many drawn with `sampleSeed` (the same seed draws the same points), still in grid order.
 */
export function sweepPoints(definition: Pick<SweepDefinition, 'axes' | 'trials' | 'sampleSeed'>): number[] {
  const size = gridSize(definition.axes);
  const all = Array.from({ length: size }, (_, point) => point);
  if (definition.trials === undefined || definition.trials >= size) return all;
  const order = shuffledIndices(size, createRng(definition.sampleSeed));
  return [...order.subarray(0, definition.trials)].sort((a, b) => a - b);
}

/**
 * The run settings of one grid point: the base with each axis's chosen alternative. Hidden layers, dropout
 * and L2 are put together after all axes are applied (so a dropout list meets the widths it is for), and
 * an early-stopping patience turns early stopping on, as `--early-stopping N` does for a run.
 */
export function pointParameters(base: HyperParameters, axes: readonly SweepAxis[], choice: readonly number[]): { params: HyperParameters; dropoutMismatch?: string } {
  const params: HyperParameters = { ...base };
  const fields = params as unknown as Record<string, unknown>;
  let widths: readonly number[] = base.architecture.hiddenLayers.map((layer) => layer.units);
  let rates: readonly number[] = dropoutList(base.architecture);
  let l2 = base.architecture.l2;
  axes.forEach((axis, a) => {
    const value: SweepValue = axis.values[choice[a]];
    switch (axis.parameter) {
      case 'hiddenLayers':
        widths = value as readonly number[];
        break;
      case 'hiddenUnits':
        widths = [value as number];
        break;
      case 'dropout':
        rates = value as readonly number[];
        break;
      case 'l2':
        l2 = value as number;
        break;
      case 'patience':
        params.patience = value as number;
        params.earlyStopping = true;
        break;
      default:
        fields[axis.parameter] = value;
    }
  });
  // The conv blocks are no axis: every trial keeps the base's.
  params.architecture = architectureFrom(widths, rates, l2, base.architecture.convLayers ?? []);
  const dropoutMismatch = dropoutProblem(widths, rates);
  return dropoutMismatch === undefined ? { params } : { params, dropoutMismatch };
}

/** A grid point the sweep cannot run, and the sentences saying why. */
export interface PointProblem {
  point: number;
  choice: number[];
  problems: string[];
}

/** The problems of one grid point, by the rules a single run is held to; empty when it can run. */
export function pointProblems(base: HyperParameters, axes: readonly SweepAxis[], choice: readonly number[]): string[] {
  const { params, dropoutMismatch } = pointParameters(base, axes, choice);
  const problems = dropoutMismatch === undefined ? [] : [dropoutMismatch];
  try {
    validateHyperParameters(params);
  } catch (error) {
    if (!(error instanceof TrainerError)) throw error;
    problems.push(error.message);
  }
  if (params.trainLimit !== undefined && params.batchSize > params.trainLimit) {
    problems.push(t('The batch size ({0}) is larger than the number of training images ({1}); choose a batch size of at most {1}.', params.batchSize, params.trainLimit));
  }
  return problems;
}

/** The grid points of the sweep that cannot run (in run order); empty when all of them can. */
export function sweepProblems(definition: SweepDefinition): PointProblem[] {
  return sweepPoints(definition).flatMap((point) => {
    const choice = gridChoice(definition.axes, point);
    const problems = pointProblems(definition.base, definition.axes, choice);
    return problems.length === 0 ? [] : [{ point, choice, problems }];
  });
}
