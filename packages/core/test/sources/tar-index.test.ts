/**
 * The tar header index: real GNU tar output (ustar, pax and GNU long names, links) is read in place,
 * and hostile entries are refused before anything is read from them.
 */
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { pack, type Header } from 'tar-stream';

type Entry = { name: string; size?: number; type?: 'symlink' | 'link'; linkname?: string };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src/sources/archive-error';
import { tarFiles } from '../../src/sources/tar-files';
import { indexTar } from '../../src/sources/tar-index';

const run = promisify(execFile);
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-tar-index-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Writes a tar built by tar-stream from `entries` and returns its path. */
async function writeTar(name: string, entries: Array<{ header: Partial<Header> & { name: string }; body?: string }>): Promise<string> {
  const file = join(work, name);
  const p = pack();
  for (const e of entries) p.entry(e.header, e.body ?? '');
  p.finalize();
  await pipeline(p, createWriteStream(file));
  return file;
}

async function text(iterable: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of iterable) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

describe.each(['ustar', 'posix', 'gnu'])('GNU tar --format=%s', (format) => {
  it('indexes files, long names and links, and streams each file from its offset', async () => {
    const src = join(work, `src-${format}`);
    const long = `${'d'.repeat(60)}/${'f'.repeat(80)}.txt`;
    await mkdir(join(src, 'd'.repeat(60)), { recursive: true });
    await writeFile(join(src, long), 'long name content');
    await writeFile(join(src, 'small.txt'), 'hello');
    await symlink('small.txt', join(src, 'link.txt'));
    const file = join(work, `gnu-${format}.tar`);
    await run('tar', ['--format', format, '-cf', file, '-C', src, '.']);
    const entries = await indexTar(file);
    expect(entries.get(long)).toMatchObject({ type: 'file', size: 17 });
    expect(entries.get('link.txt')).toMatchObject({ type: 'symlink', linkTarget: 'small.txt' });
    const files = tarFiles(file, entries);
    expect(await text(files.stream(long))).toBe('long name content');
    expect(await text(files.stream('./link.txt'))).toBe('hello');
    expect((await files.read('small.txt', 100)).toString()).toBe('hello');
  });
});

describe('hostile archives', () => {
  it.each([
    ['a ".." entry', { name: '../evil', size: 1 }],
    ['a ".." in the middle', { name: 'blobs/../../evil', size: 1 }],
    ['an absolute path', { name: '/etc/passwd', size: 1 }],
    ['a symlink leaving the archive', { name: 'blobs/x', type: 'symlink' as const, linkname: '../../../etc/passwd' }],
    ['an absolute symlink', { name: 'x', type: 'symlink' as const, linkname: '/etc/passwd' }],
    ['a hard link leaving the archive', { name: 'x', type: 'link' as const, linkname: '../outside' }],
  ] as Array<[string, Entry]>)('refuses %s', async (_what, header) => {
    const file = await writeTar(`hostile-${header.name.replace(/\W/g, '_')}-${header.type ?? 'file'}.tar`, [
      { header, body: header.size ? 'x' : undefined },
    ]);
    const err = await indexTar(file).catch((e: unknown) => e);
    expect(ArchiveError.is(err, 'unsafe-entry')).toBe(true);
    expect((err as Error).message).toContain(file);
  });

  it('stops at a link cycle instead of looping', async () => {
    const file = await writeTar('cycle.tar', [
      { header: { name: 'a', type: 'symlink', linkname: 'b' } },
      { header: { name: 'b', type: 'symlink', linkname: 'a' } },
    ]);
    const files = tarFiles(file, await indexTar(file));
    await expect(files.size('a')).rejects.toSatisfy((e) => ArchiveError.is(e, 'unsafe-entry'));
  });

  it('refuses a truncated archive and a file that is not a tar', async () => {
    const good = await writeTar('good.tar', [{ header: { name: 'big', size: 4096 }, body: 'y'.repeat(4096) }]);
    const cut = join(work, 'cut.tar');
    await run('head', ['-c', '2048', good], { encoding: 'buffer' }).then(({ stdout }) => writeFile(cut, stdout));
    await expect(indexTar(cut)).rejects.toSatisfy((e) => ArchiveError.is(e, 'invalid-archive') && /truncated/.test((e as Error).message));
    const junk = join(work, 'junk.tar');
    await writeFile(junk, Buffer.alloc(1024, 7));
    await expect(indexTar(junk)).rejects.toSatisfy((e) => ArchiveError.is(e, 'invalid-archive') && /checksum/.test((e as Error).message));
  });
});
