/**
 * Extension-host tests: loaded by VS Code through extensionTestsPath (the @vscode/test-electron `run()`
 * contract) inside a real VS Code server, against the local ACR rig whose details arrive in
 * ACRKIT_E2E_RIG (see scripts/vscode-e2e.sh). Results go to VSCODE_TEST_RESULTS, ending with
 * "N passed, N failed, N skipped".
 */
import * as fs from 'node:fs';
import Mocha from 'mocha';
import { defineExplorerTests } from './explorer.tests';
import { defineCommandTests } from './commands.tests';
import { defineAzureTests, defineBuildTests } from './azure.tests';
import { defineResilienceTests } from './resilience.tests';
import { defineTenantTests } from './tenant.tests';
import { defineOutputSecretTests } from './output-secrets.tests';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  mocha.suite.emit('pre-require', globalThis, 'inline', mocha);
  defineExplorerTests();
  defineCommandTests();
  defineResilienceTests();
  defineAzureTests();
  defineTenantTests();
  defineBuildTests();
  defineOutputSecretTests();
  const lines: string[] = [];
  const out = (s: string): void => {
    lines.push(s);
    console.log(s);
  };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats!;
      out(`${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
      if (process.env.VSCODE_TEST_RESULTS) fs.writeFileSync(process.env.VSCODE_TEST_RESULTS, `${lines.join('\n')}\n`);
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => out(`ok   - ${t.fullTitle()}`));
    runner.on('fail', (t, err: Error) => out(`FAIL - ${t.fullTitle()}: ${err.message}`));
    runner.on('pending', (t) => out(`skip - ${t.fullTitle()}`));
  });
}
