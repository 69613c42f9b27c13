/**
 * A hostile build context: symlinks pointing out of it (to a file, to a directory, relative and
 * absolute) are archived as links, never followed, so nothing outside the context is uploaded.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packBuildContext } from '../../packages/core/src/build/pack-context';

let work: string;
const MARKER = `outside-secret-${Date.now()}`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-hostile-context-'));
  const outside = join(work, 'outside');
  await mkdir(join(outside, 'dir'), { recursive: true });
  await writeFile(join(outside, 'secret.txt'), MARKER);
  await writeFile(join(outside, 'dir', 'inner.txt'), MARKER);
  const ctx = join(work, 'ctx');
  await mkdir(join(ctx, 'sub'), { recursive: true });
  await writeFile(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  await writeFile(join(ctx, 'inside.txt'), 'inside');
  await symlink(join(outside, 'secret.txt'), join(ctx, 'abs-file'));
  await symlink('../outside/secret.txt', join(ctx, 'rel-file'));
  await symlink('../../outside/dir', join(ctx, 'sub', 'rel-dir'));
  await symlink(join(outside, 'dir'), join(ctx, 'abs-dir'));
  await symlink('inside.txt', join(ctx, 'in-link'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function entriesOf(stream: NodeJS.ReadableStream): Promise<Array<{ name: string; type: string; linkname?: string; body: string }>> {
  const out: Array<{ name: string; type: string; linkname?: string; body: string }> = [];
  const ex = extract();
  ex.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: unknown) => void chunks.push(c as Buffer));
    body.on('end', () => {
      out.push({ name: header.name, type: header.type ?? 'file', linkname: header.linkname ?? undefined, body: Buffer.concat(chunks).toString() });
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  stream.pipe(createGunzip()).pipe(ex);
  await done;
  return out;
}

it('archives links out of the context as links (targets as written) and never their content', async () => {
  const packed = await packBuildContext({ contextDir: join(work, 'ctx') });
  const entries = await entriesOf(packed.stream);
  const byName = new Map(entries.map((e) => [e.name.replace(/^\.\//, '').replace(/\/$/, ''), e]));
  expect(byName.get('inside.txt')?.body).toBe('inside');
  expect(byName.get('abs-file')).toMatchObject({ type: 'symlink', linkname: join(work, 'outside', 'secret.txt') });
  expect(byName.get('rel-file')).toMatchObject({ type: 'symlink', linkname: '../outside/secret.txt' });
  expect(byName.get('sub/rel-dir')).toMatchObject({ type: 'symlink', linkname: '../../outside/dir' });
  expect(byName.get('abs-dir')).toMatchObject({ type: 'symlink' });
  expect(byName.get('in-link')).toMatchObject({ type: 'symlink', linkname: 'inside.txt' });
  expect([...byName.keys()].filter((n) => n.startsWith('abs-dir/') || n.startsWith('sub/rel-dir/'))).toEqual([]);
  for (const e of entries) expect(e.body, e.name).not.toContain(MARKER);
});
