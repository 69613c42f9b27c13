import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BuildContextError } from '../../src/build/context-plan';
import { packBuildContext, readAll } from '../../src/build/pack-context';

interface Member { name: string; type: string; mode: number; mtime: number; uid: number; gid: number; uname: string; linkname?: string; content: string }

async function listArchive(gz: Buffer): Promise<Member[]> {
  const members: Member[] = [];
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const h = entry.header;
      const content = (await readAll(entry as unknown as Readable)).toString();
      members.push({ name: h.name, type: h.type ?? '', mode: h.mode ?? 0, mtime: h.mtime?.getTime() ?? -1, uid: h.uid ?? -1, gid: h.gid ?? -1, uname: h.uname ?? '', linkname: h.linkname ?? undefined, content });
    }
  })();
  Readable.from([gz]).pipe(createGunzip()).pipe(ex);
  await done;
  return members;
}

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

async function pack(options: Parameters<typeof packBuildContext>[0]) {
  const packed = await packBuildContext(options);
  return { ...packed, bytes: await readAll(packed.stream) };
}

let base: string;
beforeEach(async () => { base = await mkdtemp(join(tmpdir(), 'acrkit-pack-')); });
afterEach(async () => { await rm(base, { recursive: true, force: true }); });

const sample = {
  Dockerfile: 'FROM scratch\nCOPY . /\n',
  '.dockerignore': '**/*.log\nsecrets\n!secrets/public.pem\nDockerfile\n',
  'app/main.sh': 'echo hi\n',
  'app/debug.log': 'noise\n',
  'secrets/private.key': 'TOP-SECRET\n',
  'secrets/public.pem': 'public\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
};

describe('packBuildContext', () => {
  test('applies .dockerignore with exceptions, keeps the excluded Dockerfile, leaves out .git', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, sample);
    const { bytes, dockerFilePath } = await pack({ contextDir: ctx });
    const names = (await listArchive(bytes)).map((m) => m.name.replace(/\/$/, ''));
    expect(dockerFilePath).toBe('Dockerfile');
    expect(names).toEqual(['.dockerignore', 'Dockerfile', 'app', 'app/main.sh', 'secrets', 'secrets/public.pem']);
  });

  test('includes .git when asked', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, sample);
    const { bytes } = await pack({ contextDir: ctx, includeGit: true });
    expect((await listArchive(bytes)).map((m) => m.name)).toContain('.git/HEAD');
  });

  test('is reproducible: same tree gives the same bytes, whatever the mtimes, owners and umask', async () => {
    const a = join(base, 'a');
    const b = join(base, 'b');
    await tree(a, sample);
    await tree(b, sample);
    await utimes(join(b, 'app/main.sh'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await chmod(join(b, 'secrets/public.pem'), 0o600);
    const first = (await pack({ contextDir: a })).bytes;
    const again = (await pack({ contextDir: a })).bytes;
    const other = (await pack({ contextDir: b })).bytes;
    expect(again.equals(first)).toBe(true);
    expect(other.equals(first)).toBe(true);
    for (const m of await listArchive(first)) {
      expect([m.mtime, m.uid, m.gid, m.uname]).toEqual([0, 0, 0, '']);
    }
  });

  test('keeps the executable bit', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, { Dockerfile: 'FROM x\n', 'run.sh': '#!/bin/sh\n' });
    await chmod(join(ctx, 'run.sh'), 0o700);
    const members = await listArchive((await pack({ contextDir: ctx })).bytes);
    expect(members.find((m) => m.name === 'run.sh')?.mode).toBe(0o755);
    expect(members.find((m) => m.name === 'Dockerfile')?.mode).toBe(0o644);
  });

  test('symlinks stay symlinks and nothing outside the context is read', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, { Dockerfile: 'FROM x\n', 'real.txt': 'inside\n' });
    await writeFile(join(base, 'outside.txt'), 'OUTSIDE-CONTENT\n');
    await mkdir(join(base, 'outside-dir'));
    await writeFile(join(base, 'outside-dir/leak.txt'), 'LEAK\n');
    await symlink('real.txt', join(ctx, 'inner-link'));
    await symlink('../outside.txt', join(ctx, 'escape-link'));
    await symlink(join(base, 'outside-dir'), join(ctx, 'dir-link'));
    const { bytes } = await pack({ contextDir: ctx });
    const members = await listArchive(bytes);
    expect(members.find((m) => m.name === 'inner-link')).toMatchObject({ type: 'symlink', linkname: 'real.txt', content: '' });
    expect(members.find((m) => m.name === 'escape-link')).toMatchObject({ type: 'symlink', linkname: '../outside.txt' });
    expect(members.find((m) => m.name === 'dir-link')).toMatchObject({ type: 'symlink' });
    expect(members.map((m) => m.name)).not.toContain('dir-link/leak.txt');
    const text = members.map((m) => m.content).join('');
    expect(text).not.toContain('OUTSIDE-CONTENT');
    expect(text).not.toContain('LEAK');
  });

  test('<Dockerfile>.dockerignore takes precedence over .dockerignore', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, {
      'docker/app.Dockerfile': 'FROM x\n',
      'docker/app.Dockerfile.dockerignore': 'b.txt\n',
      '.dockerignore': 'a.txt\n',
      'a.txt': 'a', 'b.txt': 'b',
    });
    const { bytes, dockerFilePath, ignoreFile } = await pack({ contextDir: ctx, dockerfile: 'docker/app.Dockerfile' });
    const names = (await listArchive(bytes)).map((m) => m.name);
    expect(dockerFilePath).toBe('docker/app.Dockerfile');
    expect(ignoreFile).toBe(join(ctx, 'docker/app.Dockerfile.dockerignore'));
    expect(names).toContain('a.txt');
    expect(names).not.toContain('b.txt');
  });

  test('a Dockerfile outside the context is added at the root under a generated name (as az acr build)', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, { 'a.txt': 'a' });
    await writeFile(join(base, 'Outside.Dockerfile'), 'FROM outside\n');
    const { bytes, dockerFilePath } = await pack({ contextDir: ctx, dockerfile: join(base, 'Outside.Dockerfile') });
    expect(dockerFilePath).toMatch(/^[0-9a-f]{32}_Outside\.Dockerfile$/);
    const members = await listArchive(bytes);
    expect(members.find((m) => m.name === dockerFilePath)?.content).toBe('FROM outside\n');
    // Same content, same name: the archive stays reproducible.
    expect((await pack({ contextDir: ctx, dockerfile: join(base, 'Outside.Dockerfile') })).bytes.equals(bytes)).toBe(true);
  });

  test('an excluded directory without exceptions is not walked', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, { Dockerfile: 'FROM x\n', '.dockerignore': 'node_modules\n', 'node_modules/x/index.js': 'x' });
    const names = (await listArchive((await pack({ contextDir: ctx })).bytes)).map((m) => m.name);
    expect(names.some((n) => n.startsWith('node_modules'))).toBe(false);
  });

  test('a missing Dockerfile or context gives a clear error', async () => {
    await expect(pack({ contextDir: join(base, 'nope') })).rejects.toSatisfy((e) => BuildContextError.is(e, 'CONTEXT_NOT_FOUND'));
    await mkdir(join(base, 'empty'));
    await expect(pack({ contextDir: join(base, 'empty') })).rejects.toThrow(/Dockerfile "Dockerfile" was not found/);
  });

  test('aborting stops the stream', async () => {
    const ctx = join(base, 'ctx');
    await tree(ctx, { Dockerfile: 'FROM x\n', 'big.bin': 'x'.repeat(4 << 20) });
    const controller = new AbortController();
    const packed = await packBuildContext({ contextDir: ctx, signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(readAll(packed.stream)).rejects.toThrow('stop');
  });
});
