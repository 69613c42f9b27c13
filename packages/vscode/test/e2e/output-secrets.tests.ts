/**
 * Issue 7: secrets never appear in the extension's output channels. Runs last: reads every log file of the
 * extension host's log folder (the parent of the extension's `context.logUri`: the "Container Registries"
 * LogOutputChannel and the "ACR Build" channel are files there) and scans them for every secret the rig has
 * handed out during the whole suite (admin password, client secret, Entra and ACR tokens, SAS signatures),
 * which the dev rig writes on SIGUSR2.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, rigDetails, type RigSecretsDump } from './harness';

function logFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return logFiles(full);
    return e.name.endsWith('.log') ? [full] : [];
  });
}

async function rigSecrets(pid: number): Promise<RigSecretsDump> {
  const file = `${process.env.ACRKIT_E2E_RIG}.secrets.json`;
  fs.rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as RigSecretsDump;
    } catch {
      // not written (completely) yet
    }
  }
  throw new Error(`the dev rig (pid ${pid}) wrote no ${file}`);
}

export function defineOutputSecretTests(): void {
  suite('Secrets in output channels (issue 7)', () => {
    test('no secret the rig handed out appears in the extension\'s output channels', async () => {
      const a = await api();
      const rig = rigDetails();
      const dump = await rigSecrets(rig.pid);
      // The build test before this one uploaded its context and read its log through SAS URLs.
      if (rig.arm) assert.ok(dump.sasSignatures.length >= 2, `only ${dump.sasSignatures.length} SAS signatures to look for`);
      const secrets = [...new Set([...dump.rig, ...dump.sasSignatures, rig.password, rig.entra.clientSecret])].filter((s) => s.length >= 8);
      assert.ok(secrets.length >= 4, `only ${secrets.length} secrets to look for`);
      await sleep(1500); // the log files are written asynchronously
      const files = logFiles(path.dirname(a.logUri.fsPath));
      const logs = new Map(files.map((f) => [path.relative(path.dirname(a.logUri.fsPath), f), fs.readFileSync(f, 'utf8')]));
      const registries = [...logs].find(([name]) => name.endsWith('Container Registries.log'));
      assert.ok(registries && registries[1].length > 0, `no "Container Registries" log among ${[...logs.keys()].join(', ')}`);
      if (rig.arm) {
        const build = [...logs].find(([name]) => name.endsWith('ACR Build.log'));
        assert.ok(build?.[1].includes('hello-from-the-e2e-build'), `no "ACR Build" log with the run's output among ${[...logs.keys()].join(', ')}`);
      }
      for (const [name, text] of logs) {
        // Name the secret by position only: the assertion message is itself output.
        const leaked = secrets.map((s, i) => (text.includes(s) ? i : -1)).filter((i) => i >= 0);
        assert.deepStrictEqual(leaked, [], `${name} holds secrets #${leaked.join(', #')} of ${secrets.length}`);
      }
    });
  });
}
