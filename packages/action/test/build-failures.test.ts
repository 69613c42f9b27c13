import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '@acrkit/core/log';
import { describeArmFailure } from '../src/build/arm-failure';
import { readBuildInputs } from '../src/build/build-inputs';
import { runBuild, type BuildHost } from '../src/build/run-build';
import type { CommandDeps } from '../src/commands/command';
import { readInputs } from '../src/inputs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'acrkit-build-failures-'));
  await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
});
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

/** A host that fails the test if the build gets as far as loading the cloud build code. */
const host: BuildHost = {
  writeLine: () => undefined, saveState: () => undefined, setOutput: () => undefined, errorAnnotation: () => undefined,
  writeSummary: async () => undefined,
  loadCloudBuild: () => { throw new Error('reached the network'); },
};

function deps(values: Record<string, string>): CommandDeps {
  const read = (name: string) => values[name] ?? '';
  return {
    inputs: readInputs(read), github: { eventName: 'push', ref: 'refs/heads/main', sha: 'a'.repeat(40), repository: 'o/r' } as CommandDeps['github'],
    logger: silentLogger, signal: new AbortController().signal, mask: () => undefined, env: { GITHUB_WORKSPACE: dir }, now: new Date(0),
    getIdToken: () => Promise.reject(new Error('reached the network')),
  };
}

describe('command build refuses before any network call', () => {
  const base = { command: 'build', registry: 'r.azurecr.io', image: 'app', 'client-id': 'c', 'tenant-id': 't', 'client-secret': 'x-secret-1' };
  test.each([
    [{ 'auth-type': 'password', username: 'u', password: 'p-secret-1' }, {}, /input "auth-type": "password" is not accepted: command build calls Azure Resource Manager, which needs an Entra identity/],
    [{}, { context: 'nope' }, /input "context": "nope" is not accepted: .*nope is not a directory: expected a directory/],
    [{}, { file: 'Dockerfile.missing' }, /input "file": "Dockerfile.missing" is not accepted: .*is not a file/],
  ])('%j %j', async (extra, build, message) => {
    const d = deps({ ...base, ...extra });
    await expect(runBuild(d, readBuildInputs((n) => (build as Record<string, string>)[n] ?? ''), host)).rejects.toThrow(message);
  });
});

describe('describeArmFailure', () => {
  const armError = (status: number) => Object.assign(new Error(`POST https://management.azure.com/x: ${status} AuthorizationFailed: no`), { name: 'ArmError', status });
  test('403 names the identity and the role; 401 the token', () => {
    expect((describeArmFailure(armError(403), 'service principal (client-id c)') as Error).message).toMatch(/: service principal \(client-id c\) may not run ACR Tasks on this registry: it needs Contributor/);
    expect((describeArmFailure(armError(401), 'x') as Error).message).toMatch(/did not accept the token of x/);
  });
  test('other errors pass unchanged', () => {
    const e404 = armError(404);
    const plain = new Error('boom');
    expect(describeArmFailure(e404, 'x')).toBe(e404);
    expect(describeArmFailure(plain, 'x')).toBe(plain);
  });
});
