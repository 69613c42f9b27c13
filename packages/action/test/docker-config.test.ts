/** docker-config.ts against real files: atomic 0600 writes, replaced entries restored, created files removed. */
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { credentialHelperFor, resolveDockerConfigDir, undoDockerLogin, writeDockerLogin } from '../src/docker-config';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'acrkit-docker-config-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('docker config files', () => {
  test('a new file is created 0600 and removed again at logout', async () => {
    const d = join(dir, 'new');
    const record = await writeDockerLogin(d, 'r.io', 'u', 'secret-1', { stateDir: join(dir, 'state') });
    const file = join(d, 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: { 'r.io': { auth: Buffer.from('u:secret-1').toString('base64') } } });
    expect(JSON.stringify(record)).not.toContain(Buffer.from('u:secret-1').toString('base64'));
    expect(await undoDockerLogin(record)).toBe('removed');
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  test('a replaced entry is kept outside the state and restored byte for byte', async () => {
    const d = join(dir, 'replace');
    await mkdir(d);
    const original = '{\n    "auths": {\n        "r.io": {"auth": "b2xkOm9sZA=="},\n        "x.io": {"auth": "eDp5"}\n    }\n}';
    await writeFile(join(d, 'config.json'), original);
    const record = await writeDockerLogin(d, 'r.io', 'u', 'secret-2', { stateDir: join(dir, 'state') });
    expect(JSON.stringify(record)).not.toContain('b2xkOm9sZA==');
    expect((await stat(record.previousFile as string)).mode & 0o777).toBe(0o600);
    const mid = JSON.parse(await readFile(join(d, 'config.json'), 'utf8'));
    expect(mid.auths['r.io'].auth).toBe(Buffer.from('u:secret-2').toString('base64'));
    expect(await undoDockerLogin(record)).toBe('restored');
    expect(await readFile(join(d, 'config.json'), 'utf8')).toBe(original);
    await expect(stat(record.previousFile as string)).rejects.toThrow(/ENOENT/);
    expect((await readdir(d)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  test('an unparsable config is refused and left as it is', async () => {
    const d = join(dir, 'broken');
    await mkdir(d);
    await writeFile(join(d, 'config.json'), '{"auths": {');
    await expect(writeDockerLogin(d, 'r.io', 'u', 's', { stateDir: dir })).rejects.toThrow(/is not valid JSON .*left as it is/);
    expect(await readFile(join(d, 'config.json'), 'utf8')).toBe('{"auths": {');
  });

  test('credential helpers that would shadow the entry are reported', async () => {
    const d = join(dir, 'helpers');
    await mkdir(d);
    const file = join(d, 'config.json');
    await writeFile(file, '{"credHelpers": {"r.io": "acr-env"}}');
    expect(await credentialHelperFor(file, 'r.io')).toBe('credHelpers["r.io"] = "acr-env"');
    expect(await credentialHelperFor(file, 'other.io')).toBeUndefined();
    await writeFile(file, '{"credsStore": "desktop"}');
    expect(await credentialHelperFor(file, 'r.io')).toBe('credsStore = "desktop"');
  });

  test('auto follows DOCKER_CONFIG, then HOME; new makes a directory under RUNNER_TEMP', async () => {
    expect((await resolveDockerConfigDir('auto', { DOCKER_CONFIG: '/dc', HOME: '/h' })).dir).toBe('/dc');
    expect((await resolveDockerConfigDir('auto', { HOME: '/h' })).dir).toBe('/h/.docker');
    const made = await resolveDockerConfigDir('new', { RUNNER_TEMP: dir });
    expect(made).toMatchObject({ created: true });
    expect(made.dir.startsWith(join(dir, 'acrkit-docker-'))).toBe(true);
  });
});
