/**
 * `npm run setup-native`: the extension's "Set Up the Native Backend" for a terminal. Installs tfjs-node (the
 * version of the bundled tfjs) with npm into the per-user folder that `train`, `bench` and the extension
 * search, printing npm's output as it goes. Ctrl+C stops npm and removes what it wrote. A failure (here:
 * libtensorflow cannot be downloaded) leaves nothing behind and says what could not be downloaded.
 */
import { installTfjsNode, type InstallResult } from '../core/nativeBackend/installTfjsNode';
import { ownedNativeBackendFolder, tfjsNodeSpec } from '../core/nativeBackend/nativeBackendFolders';
import { t } from '../core/text/l10n';
import { UsageError } from './args';
import { EXIT, printError, setupNativeHelp, type CliContext } from './common';

export async function runSetupNative(argv: string[], context: CliContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    context.stdout.write(setupNativeHelp().join('\n') + '\n');
    return EXIT.ok;
  }
  if (argv.length > 0) throw new UsageError(t('Unknown option "{0}".', argv[0]));
  const folder = ownedNativeBackendFolder();
  context.stdout.write(t('Installing {0} into {1} with npm…', tfjsNodeSpec(), folder) + '\n');
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.on('SIGINT', onInterrupt);
  let result: InstallResult;
  try {
    result = await installTfjsNode({ folder, signal: abort.signal, onOutput: (line) => context.stdout.write(`  ${line}\n`) });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  switch (result.status) {
    case 'installed':
      context.stdout.write(
        t('The native backend is set up: tfjs-node {0} in {1}. The next training run uses it (backend auto or node).', result.version, result.folder) + '\n',
      );
      return EXIT.ok;
    case 'cancelled':
      context.stderr.write(t('Setting up the native backend was cancelled; nothing was installed. Training stays on the WebAssembly backend (wasm).') + '\n');
      return EXIT.interrupted;
    case 'npmMissing':
      printError(context, {
        code: 'NATIVE_SETUP_FAILED',
        message: t('npm was not found on PATH, so the native backend cannot be installed from here.'),
        action: t('Run this where npm is available: {0}', result.commandLine),
      });
      return EXIT.failed;
    case 'failed':
      printError(context, result.error);
      return EXIT.failed;
  }
}
