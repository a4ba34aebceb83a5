/**
 * Entry of the mocha suite that runs inside a real VS Code extension host. Both hosts load it the same
 * way: `@vscode/test-electron` (`extensionTestsPath`) and code-server (the URL payload). It must export
 * `run(): Promise<void>`, resolving when every test passed. The suites are bundled into this file and
 * required lazily, after mocha has put `describe`/`it` on the global object.
 */
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

/** Suite files, in the order they run: cheap checks first, the training run before what needs a model. */
function loadSuites(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose: `describe` must exist first */
  require('./commands.vscode.test');
  require('./training.vscode.test');
  require('./errors.vscode.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export interface SuiteResults {
  passed: number;
  failed: number;
  skipped: number;
  failures: { title: string; error: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'test/vscode', mocha);
  loadSuites();
  const results: SuiteResults = { passed: 0, failed: 0, skipped: 0, failures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // One plain line the launcher parses from the host's console (code-server forwards console.log).
      console.log(`[vscode-suite] ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
      const file = process.env.FMT_VSCODE_RESULTS;
      if (file) writeFileSync(file, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => results.passed++);
    runner.on('pending', () => results.skipped++);
    runner.on('fail', (test, error: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: String(error?.stack ?? error) });
    });
  });
}
