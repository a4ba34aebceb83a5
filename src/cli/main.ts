/**
 * The terminal entry (bundled to dist/cli.js): `train`, `sweep`, `classify`, `runs`, `bench`, `setup-native`, `export-notebook`. Errors end as one line on
 * stderr and an exit code: 2 for a wrong command line, 1 for a failed run, 130 after Ctrl+C.
 */
import { toUserError } from '../core/errors';
import { configureLocale, t, terminalLocale } from '../core/text/l10n';
import { findL10nDir } from '../core/text/l10nDir';
import { terminalSafe } from '../core/text/plainText';
import { UsageError } from './args';
import { runClassify } from './classify';
import { runExportNotebook } from './exportNotebook';
import { EXIT, mainHelp, printError, type CliContext } from './common';
import { runSetupNative } from './setupNative';
import { runTrain } from './train';
import { runRuns } from './runs';
import { runSweep } from './sweep';

async function main(argv: string[]): Promise<number> {
  const locale = terminalLocale();
  const l10nDir = findL10nDir();
  if (l10nDir !== undefined) configureLocale(locale, l10nDir);
  const context: CliContext = { stdout: cliOutput(process.stdout), stderr: cliOutput(process.stderr), locale };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        return await runTrain(rest, context);
      case 'classify':
        return await runClassify(rest, context);
      case 'export-notebook':
        return await runExportNotebook(rest, context);
      case 'runs':
        return await runRuns(rest, context);
      case 'sweep':
        return await runSweep(rest, context);
      case 'bench': {
        // Loaded on demand: the bench runs tfjs on this thread, and train/classify should not pay for loading it.
        const { runBench } = await import('./bench/benchCommand');
        return await runBench(rest);
      }
      case 'setup-native':
        return await runSetupNative(rest, context);
      case '--help':
      case '-h':
      case 'help':
        context.stdout.write(mainHelp().join('\n') + '\n');
        return EXIT.ok;
      case undefined:
        // No command is a usage error: the help goes to stderr, so a script's stdout stays clean.
        context.stderr.write(mainHelp().join('\n') + '\n');
        return EXIT.usage;
      default:
        throw new UsageError(t('Unknown command "{0}"; use train, sweep, classify, runs, bench, setup-native or export-notebook.', command));
    }
  } catch (error) {
    printError(context, toUserError(error));
    return error instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
}

/** Set once the terminal is gone (SIGHUP, or a write failed with EIO): output is dropped, the command goes on to its end. */
let terminalGone = false;

/**
 * What the commands write to: names and record fields are printed as text (a control character in one is
 * shown, never obeyed), and nothing is written once the terminal has closed (a run stopping then must still
 * be kept, not die on a failed write).
 */
function cliOutput(stream: NodeJS.WriteStream): CliContext['stdout'] {
  const safe = terminalSafe(stream);
  return {
    write: ((text: string) => (terminalGone ? true : safe.write(text))) as NodeJS.WriteStream['write'],
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}

process.on('SIGHUP', () => {
  terminalGone = true;
});

/**
 * When the reader of our output goes away (`npm run train | head`), the next write fails with EPIPE: that
 * is the reader's choice, not a failure, so the command ends at once and quietly. When the terminal itself
 * went away (EIO), a training run is stopped as by SIGHUP, so it is kept.
 */
function endQuietlyWhenOutputCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EIO') {
      if (!terminalGone) process.emit('SIGHUP', 'SIGHUP');
      terminalGone = true;
      return;
    }
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT.ok);
    throw error;
  });
}
endQuietlyWhenOutputCloses(process.stdout);
endQuietlyWhenOutputCloses(process.stderr);

void main(process.argv.slice(2)).then((code) => {
  // Let stdout drain before leaving; the worker is already disposed.
  process.exitCode = code;
});
