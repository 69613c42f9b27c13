/**
 * Opens an image archive for in-place reading: a plain tar is indexed where it lies; a gzip'd tar
 * is first decompressed into a private temporary file (random access needs an uncompressed tar),
 * which `release` removes again.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ArchiveError } from './archive-error';
import type { LayoutFiles } from './layout-files';
import { tarFiles } from './tar-files';
import { indexTar } from './tar-index';

export interface OpenedArchive {
  files: LayoutFiles;
  /** Removes the temporary copy of a compressed archive; a no-op otherwise. */
  release(): Promise<void>;
}

/** Indexes `file` (tar or tar.gz) and returns its entries as LayoutFiles. */
export async function openArchiveFile(file: string, options: { signal?: AbortSignal } = {}): Promise<OpenedArchive> {
  if (!(await isGzip(file))) {
    return { files: tarFiles(file, await indexTar(file, options), file), release: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-archive-'));
  const release = () => rm(dir, { recursive: true, force: true });
  try {
    const plain = join(dir, 'archive.tar');
    await pipeline(createReadStream(file), createGunzip(), createWriteStream(plain, { mode: 0o600 }), { signal: options.signal });
    return { files: tarFiles(plain, await indexTar(plain, options), file), release };
  } catch (err) {
    await release();
    if (ArchiveError.is(err)) throw err;
    throw new ArchiveError('invalid-archive', `${file}: cannot decompress: ${(err as Error).message}`, { cause: err });
  }
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw new ArchiveError('not-found', `${file}: cannot open archive: ${(err as Error).message}`, { cause: err });
  });
  try {
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    return magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
