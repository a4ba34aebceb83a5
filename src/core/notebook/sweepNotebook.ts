/**
 * A sweep as a Jupyter notebook: the tutorial's set-up and data cells, the grid as Keras code (the shared
 * settings, the alternatives, a loop over the configurations that trains and ranks one model each), and the
 * sweep's own results as that loop's output, in the format its `print`s use. A pure function of the sweep,
 * its trials' runs and the strings: the same input gives the same file.
 */
import { gridSize } from '../runs/sweepGrid';
import { bestTrial, rankTrials, trialResults } from '../runs/sweepResults';
import { HYPER_PARAMETER_SCHEMA } from '../../domain/hyperParameters';
import type { RunHistoryRecord } from '../../domain/runRecord';
import type { SweepRecord } from '../../domain/sweep';
import { cellText, NotebookBuilder, notebookOf, readableDate, stream, type Notebook } from './notebook';
import type { NotebookStrings } from './notebookStrings';
import { dataCode, preprocessCode, setupCode } from './pythonCode';
import { settingsFromParams } from './runSources';
import { configurationRepr, gridCode, PYTHON_KEYS, pythonReprOf, sweepLoopCode } from './sweepCode';
import type { SweepNotebookStrings } from './sweepNotebookStrings';
import { fillTemplate } from './template';

/** What the loop prints, from the sweep's results: a line per trial in run order, then the ranking and the best. */
function resultsText(record: SweepRecord, runs: ReadonlyMap<string, RunHistoryRecord>): string {
  const { definition } = record;
  const monitor = definition.base.monitor;
  const results = trialResults(record, runs);
  const value = (result: (typeof results)[number]) => (result.best === undefined ? 'nan' : result.best.value.toFixed(4));
  const epoch = (result: (typeof results)[number]) => (result.best === undefined ? '-' : String(result.best.epoch));
  const lines = results.map((result) =>
    `Trial ${result.number}/${results.length} [${result.trial.state}] ${configurationRepr(definition, result.trial.choice)}: ${monitor} ${value(result)} at epoch ${epoch(result)}`);
  const ranked = rankTrials(results, definition);
  lines.push('', `Ranked by ${monitor}:`);
  ranked.forEach((result, i) => lines.push(`${i + 1}. trial ${result.number} ${configurationRepr(definition, result.trial.choice)}: ${value(result)} at epoch ${epoch(result)} [${result.trial.state}]`));
  const best = bestTrial(ranked);
  if (best !== undefined) lines.push(`Best: ${configurationRepr(definition, best.trial.choice)}`);
  return lines.join('\n') + '\n';
}

/** The alternatives as a markdown table: the notebook's name of each swept setting and its values. */
function alternativesTable(record: SweepRecord, s: SweepNotebookStrings): string {
  const rows = record.definition.axes.map((axis) =>
    `| \`${PYTHON_KEYS[axis.parameter]}\` | ${cellText(axis.values.map((value) => pythonReprOf(axis.parameter, value)).join(' · '))} |`);
  return [`| ${cellText(s.colParameter)} | ${cellText(s.colAlternatives)} |`, '|---|---|', ...rows].join('\n');
}

export function buildSweepNotebook(
  record: SweepRecord,
  runs: ReadonlyMap<string, RunHistoryRecord>,
  s: SweepNotebookStrings,
  tutorial: NotebookStrings,
  extensionVersion: string,
): Notebook {
  const { definition } = record;
  const settings = settingsFromParams(definition.base);
  const points = record.trials.map((trial) => trial.point);
  const nb = new NotebookBuilder();
  nb.markdown(
    `# ${s.title}`,
    s.intro,
    fillTemplate(s.facts, record.id, readableDate(record.startedAt), record.trials.length, gridSize(definition.axes)),
    `### ${s.alternativesHeading}`,
    alternativesTable(record, s),
    ...(definition.prune ? [s.pruneText] : []),
  );

  nb.markdown(`## ${tutorial.setupHeading}`, tutorial.setupText);
  nb.code(setupCode(settings), [], true);
  nb.markdown(`## ${tutorial.dataHeading}`, tutorial.dataText);
  // The schema's defaults of the limits are the whole sets (60,000 and 10,000 images).
  const trainCount = definition.base.trainLimit ?? HYPER_PARAMETER_SCHEMA.trainLimit.default;
  const testCount = definition.base.testLimit ?? HYPER_PARAMETER_SCHEMA.testLimit.default;
  nb.code(dataCode(settings), [stream(`(${trainCount}, 28, 28) (${testCount}, 28, 28)\n`)]);
  nb.code(preprocessCode(), [], true);

  nb.markdown(`## ${s.gridHeading}`, s.gridText);
  nb.code(gridCode(definition, points), [stream(`${points.length} configurations\n`)]);

  const ranked = rankTrials(trialResults(record, runs), definition);
  const best = bestTrial(ranked);
  nb.markdown(
    `## ${s.loopHeading}`,
    s.loopText,
    ...(best === undefined ? [] : [fillTemplate(s.bestText, best.number, configurationRepr(definition, best.trial.choice), definition.base.monitor, best.best!.value.toFixed(4), best.best!.epoch)]),
  );
  nb.code(sweepLoopCode(definition), [stream(resultsText(record, runs))]);

  nb.markdown(`## ${tutorial.nextHeading}`, s.nextText);
  return notebookOf(nb, extensionVersion);
}
