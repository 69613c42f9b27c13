/**
 * The secret harness can fail: what children, the console and captured files show is scanned for every
 * registered secret in its encoded forms, an unregistered string is not, and (through a nested vitest
 * run of fixtures/harness-leaks.fixture.ts) a test that prints or throws a secret fails with a message
 * that names where, never the secret. Leaks provoked here are taken with `takeLeaks()` so this file passes.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { muteOutput } from './output-capture';
import { checkCapture, describeLeaks } from './secret-harness';
import { captureFile, captureText, registerSecrets, takeLeaks, withoutCapture } from './secret-registry';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const fresh = (): string => randomBytes(18).toString('base64url');

function echo(stdout: string, stderr: string): Promise<number | null> {
  const child = spawn('sh', ['-c', 'printf "%s\\n" "$1"; printf "%s\\n" "$2" >&2', 'sh', stdout, stderr], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  return new Promise((resolve) => child.on('close', resolve));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'acrkit-harness-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scanning what children print', () => {
  it('finds a registered secret a spawned child echoes, and its base64 form on stderr', async () => {
    const secret = fresh();
    const [index] = registerSecrets('harness test secret', secret);
    await echo(`token: ${secret}`, `Authorization: Basic ${Buffer.from(secret).toString('base64')}`);
    const leaks = takeLeaks();
    expect(leaks).toEqual([
      { label: expect.stringMatching(/^child #\d+ sh stdout$/), secretIndex: index, kind: 'harness test secret', form: 'plain' },
      { label: expect.stringMatching(/^child #\d+ sh stderr$/), secretIndex: index, kind: 'harness test secret', form: 'encoded' },
    ]);
    expect(describeLeaks(leaks)).not.toContain(secret);
  });

  it('finds Basic pairs and percent-encoded secrets in promisified execFile output', async () => {
    const pair = { username: 'harness-user', password: `${fresh()}+/=` };
    const [index] = registerSecrets('harness test pair', pair);
    await run('sh', ['-c', 'echo "$1"', 'sh', `auth=${Buffer.from(`${pair.username}:${pair.password}`).toString('base64')}`]);
    await run('sh', ['-c', 'echo "$1" >&2', 'sh', `password=${encodeURIComponent(pair.password)}`]);
    const leaks = takeLeaks();
    expect(leaks.map((l) => [l.label.replace(/#\d+/, '#n'), l.secretIndex, l.form])).toEqual([
      ['child #n sh stdout', index, 'encoded'],
      ['child #n sh stderr', index, 'encoded'],
    ]);
  });

  it('does not see children started withoutCapture (private channels)', async () => {
    const secret = fresh();
    registerSecrets('harness test secret', secret);
    const child = withoutCapture(() => spawn('echo', [secret], { stdio: ['ignore', 'pipe', 'ignore'] }));
    child.stdout.resume();
    await new Promise((resolve) => child.on('close', resolve));
    expect(takeLeaks()).toEqual([]);
  });
});

describe('scanning the console, errors and files', () => {
  it('finds a secret logged to the console or written to process.stderr', () => {
    const secret = fresh();
    const [index] = registerSecrets('harness test secret', secret);
    muteOutput(() => {
      console.info('the token is %s', Buffer.from(secret).toString('base64url'));
      process.stderr.write(`${secret}\n`);
    });
    expect(takeLeaks().map((l) => [l.label, l.secretIndex])).toEqual([
      ['console', index],
      ['process.stderr', index],
    ]);
  });

  it("fails on a secret in the test's own error and names only where it is", () => {
    const secret = fresh();
    const [index] = registerSecrets('harness test secret', secret);
    const error = new Error(`request failed with ${secret}`);
    expect(() => checkCapture([{ message: error.message, stack: error.stack }])).toThrow(
      `secret harness: 1 secret(s) in captured output: "test error #0" holds secret #${index} (harness test secret, plain)`,
    );
    expect(takeLeaks()).toEqual([]);
  });

  it('finds a secret in a captured file (GITHUB_OUTPUT) and skips ::add-mask:: lines', async () => {
    const secret = fresh();
    const [index] = registerSecrets('harness test secret', secret);
    await writeFile(join(dir, 'output'), `digest=sha256:abc\ntoken=${secret}\n`);
    captureFile('GITHUB_OUTPUT', join(dir, 'output'));
    captureText('step stdout', `::add-mask::${secret}\nLogin Succeeded\n`);
    expect(takeLeaks()).toEqual([{ label: 'GITHUB_OUTPUT', secretIndex: index, kind: 'harness test secret', form: 'plain' }]);
  });

  it('does not flag unregistered strings, short ones, or secrets split across texts', async () => {
    const secret = fresh();
    registerSecrets('harness test secret', secret);
    registerSecrets('too short to scan', 'abc12');
    await echo(`unrelated ${fresh()} abc12`, secret.slice(0, 10));
    captureText('log', secret.slice(10));
    expect(takeLeaks()).toEqual([]);
  });
});

describe('the harness in a real vitest run', () => {
  it('fails tests whose console, child output or error holds a registered secret, and passes the clean one', async () => {
    const report = join(dir, 'report.json');
    const config = join(ROOT, 'test/support/fixtures/harness-fixture.config.ts');
    // A clean environment: the nested vitest must not take this worker's VITEST_* variables as its own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
    await run('npx', ['vitest', 'run', '--config', config, '--reporter=json', `--outputFile=${report}`], { cwd: ROOT, env }).catch(() => undefined);
    const results = (JSON.parse(await readFile(report, 'utf8')) as { testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }> })
      .testResults.flatMap((f) => f.assertionResults);
    const byTitle = Object.fromEntries(results.map((r) => [r.title, r]));
    expect(byTitle['prints a secret on the console']?.failureMessages.join('\n')).toMatch(/"console" holds secret #0 \(fixture secret, plain\)/);
    expect(byTitle['a child prints a base64 form']?.failureMessages.join('\n')).toMatch(/"child #1 sh stdout" holds secret #0 \(fixture secret, encoded\)/);
    expect(byTitle['throws an error holding a secret']?.failureMessages.join('\n')).toMatch(/"test error #0" holds secret #0 \(fixture secret, plain\)/);
    expect(byTitle['prints nothing secret']?.status).toBe('passed');
    expect(results).toHaveLength(4);
  }, 120_000);
});
