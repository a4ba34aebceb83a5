/**
 * One run as a Jupyter notebook (nbformat 4.5): the tutorial's steps as markdown in the user's language,
 * Keras code that repeats the run, and the run's own results as the cells' outputs (the fit log as a stream,
 * the charts and the confusion matrix as image/svg+xml, labelled in the user's language), with execution counts and a Python 3 kernel. A pure
 * function of the run and the strings: the same input gives the same file, byte for byte.
 *
 * The notebook's metadata carries NOTEBOOK_MARKER, by which a later export recognises a file it wrote and may
 * replace it without asking (notebookFile.ts).
 */
import { CLASS_NAMES } from '../../domain/classes';
import { fillTemplate } from './template';
import { convLayersOf, describeConvLayers, isConvolutional } from '../../domain/architecture';
import { CONFUSION_CHART_SIZE, confusionMatrixSvg, EPOCH_CHART_SIZE, epochChartSvg } from './charts';
import { epochLogText, evaluateText, firstPredictionText, shapesText, summaryText } from './kerasOutputs';
import type { NotebookRun } from './notebookRun';
import type { NotebookStrings } from './notebookStrings';
import * as code from './pythonCode';
import { markdownText } from '../text/plainText';

/** The notebook metadata key that says this extension wrote the file. */
export const NOTEBOOK_MARKER = 'fashionMnistTrainer';
/** Bumped when what the marker records changes. */
export const NOTEBOOK_EXPORT_VERSION = 1;

type Output =
  | { output_type: 'stream'; name: 'stdout'; text: string[] }
  | { output_type: 'display_data'; data: Record<string, string | string[]>; metadata: Record<string, unknown> };

interface Cell {
  cell_type: 'markdown' | 'code';
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: number | null;
  outputs?: Output[];
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** Jupyter keeps text as a list of lines, each but the last ending in a newline. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((line) => line.length > 0);
}

export function stream(text: string): Output {
  return { output_type: 'stream', name: 'stdout', text: lines(text) };
}

/** A figure as Jupyter shows one: the SVG, and the text matplotlib gives where no picture can be shown. */
function figure(svg: string, size: { width: number; height: number }): Output {
  return {
    output_type: 'display_data',
    data: { 'image/svg+xml': lines(svg), 'text/plain': [`<Figure size ${size.width}x${size.height} with 1 Axes>`] },
    metadata: {},
  };
}

/** Markdown table cells: a pipe or a line break would end the cell early. */
export function cellText(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** "2026-12-01T08:37:49.009Z" -> "2026-12-01 08:37 UTC" (the same in every language); text that is no date stays. */
export function readableDate(date: string | undefined): string {
  if (date === undefined) return '?';
  const time = Date.parse(date);
  if (Number.isNaN(time)) return date;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

export class NotebookBuilder {
  readonly cells: Cell[] = [];
  private executionCount = 0;

  markdown(...paragraphs: string[]): void {
    this.cells.push({ cell_type: 'markdown', id: this.nextId(), metadata: {}, source: lines(paragraphs.join('\n\n')) });
  }

  /** A code cell; it counts as run when it has outputs or makes none by nature (`ran`). */
  code(source: string, outputs: Output[], ran = outputs.length > 0): void {
    this.cells.push({
      cell_type: 'code',
      id: this.nextId(),
      metadata: {},
      source: lines(source),
      execution_count: ran ? ++this.executionCount : null,
      outputs,
    });
  }

  private nextId(): string {
    return `cell-${String(this.cells.length + 1).padStart(2, '0')}`;
  }
}

function settingsTable(run: NotebookRun, s: NotebookStrings): string {
  const { settings } = run;
  const { hiddenLayers, l2 } = settings.architecture;
  const dropouts = hiddenLayers.map((layer) => layer.dropout);
  const rows: [string, string][] = [
    [s.settingEpochs, String(settings.epochs)],
    [s.settingBatchSize, String(settings.batchSize)],
    [s.settingLearningRate, String(settings.learningRate)],
    ...(isConvolutional(settings.architecture) ? [[s.settingConv, describeConvLayers(convLayersOf(settings.architecture))] as [string, string]] : []),
    [s.settingLayers, hiddenLayers.map((layer) => layer.units).join(', ')],
    [s.settingDropout, dropouts.some((rate) => rate > 0) ? dropouts.join(', ') : s.none],
    [s.settingL2, l2 > 0 ? String(l2) : s.none],
    [s.settingValidation, settings.validationSplit === undefined ? s.validationTest : fillTemplate(s.validationSplit, percent(settings.validationSplit))],
    [s.settingImages, `${run.trainCount} / ${run.testCount}`],
  ];
  const table = [`| ${cellText(s.colSetting)} | ${cellText(s.colValue)} |`, '|---|---|', ...rows.map(([name, value]) => `| ${cellText(name)} | ${cellText(value)} |`)].join('\n');
  const stopping = settings.earlyStopping;
  if (!stopping) return table;
  const monitor = `\`${stopping.monitor}\``;
  if (stopping.patience === undefined) return `${table}\n\n${fillTemplate(s.settingRestoreBestOnly, monitor)}`;
  const restore = stopping.restoreBestWeights ? `\n\n${s.settingRestoreBest}` : '';
  return `${table}\n\n${fillTemplate(s.settingEarlyStopping, monitor, stopping.patience)}${restore}`;
}

function classTable(s: NotebookStrings): string {
  const header = `| ${cellText(s.colLabel)} | ${cellText(s.colClass)} |`;
  return [header, '|---|---|', ...s.classNames.map((name, label) => `| ${label} | ${cellText(name)} |`)].join('\n');
}

export function buildNotebook(run: NotebookRun, s: NotebookStrings, extensionVersion: string): Notebook {
  const { settings } = run;
  const nb = new NotebookBuilder();
  const facts = run.date !== undefined || run.backend !== undefined ? [fillTemplate(s.runFacts, markdownText(readableDate(run.date)), markdownText(run.backend ?? '?'))] : [];
  nb.markdown(`# ${s.title}`, s.intro, ...facts, `### ${s.settingsHeading}`, settingsTable(run, s));

  nb.markdown(`## ${s.setupHeading}`, s.setupText);
  nb.code(code.setupCode(settings), [], true);

  nb.markdown(`## ${s.dataHeading}`, s.dataText, classTable(s));
  nb.code(code.dataCode(settings), [stream(shapesText(run))]);

  nb.markdown(`## ${s.preprocessHeading}`, s.preprocessText);
  nb.code(code.preprocessCode(), [], true);

  nb.markdown(`## ${s.modelHeading}`, s.modelText);
  nb.code(code.modelCode(settings), [stream(summaryText(settings))]);

  const hasHistory = run.history.length > 0;
  nb.markdown(`## ${s.trainHeading}`, s.trainText, ...(hasHistory ? [] : [`*${s.noHistory}*`]));
  nb.code(code.trainCode(settings), hasHistory ? [stream(epochLogText(run))] : []);

  const validationName = settings.validationSplit === undefined ? 'test' : 'validation';
  nb.markdown(`## ${s.chartsHeading}`, s.chartsText, ...(hasHistory ? [] : [`*${s.notRecorded}*`]));
  nb.code(
    code.chartsCode(validationName),
    hasHistory
      ? [
          figure(epochChartSvg(run.history, 'accuracy', validationName === 'test', s.chart), EPOCH_CHART_SIZE),
          figure(epochChartSvg(run.history, 'loss', validationName === 'test', s.chart), EPOCH_CHART_SIZE),
        ]
      : [],
  );

  const evaluation = evaluateText(run);
  const gap = run.final?.trainAccuracy !== undefined
    ? [fillTemplate(s.overfittingGap, percent(run.final.trainAccuracy), percent(run.final.testAccuracy), ((run.final.trainAccuracy - run.final.testAccuracy) * 100).toFixed(1))]
    : [];
  nb.markdown(`## ${s.evaluateHeading}`, s.evaluateText, ...gap);
  nb.code(code.evaluateCode(), evaluation === undefined ? [] : [stream(evaluation)]);

  // The code prints from its own `class_names`, the dataset's English names.
  const prediction = firstPredictionText(run, CLASS_NAMES);
  nb.markdown(`## ${s.predictHeading}`, s.predictText, ...(prediction === undefined ? [`*${s.notRecorded}*`] : []));
  nb.code(code.predictCode(), prediction === undefined ? [] : [stream(prediction)]);

  nb.markdown(`## ${s.confusionHeading}`, s.confusionText, ...(run.confusion ? [] : [`*${s.notRecorded}*`]));
  nb.code(code.confusionCode(), run.confusion ? [figure(confusionMatrixSvg(run.confusion, s.chart), CONFUSION_CHART_SIZE)] : []);

  nb.markdown(`## ${s.nextHeading}`, s.nextText);

  return notebookOf(nb, extensionVersion);
}

/** The built cells as a notebook: a Python 3 kernel, and the marker that says this extension wrote it. */
export function notebookOf(nb: NotebookBuilder, extensionVersion: string): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', file_extension: '.py', mimetype: 'text/x-python', pygments_lexer: 'ipython3', codemirror_mode: { name: 'ipython', version: 3 } },
      [NOTEBOOK_MARKER]: { exportVersion: NOTEBOOK_EXPORT_VERSION, extensionVersion },
    },
    cells: nb.cells,
  };
}

/** The notebook as the text of an .ipynb file (one-space indent, as Jupyter writes it, and a final newline). */
export function serializeNotebook(notebook: Notebook): string {
  return JSON.stringify(notebook, null, 1) + '\n';
}
