/**
 * LayoutFiles over an uncompressed tar archive, read in place through its header index: nothing is
 * extracted, and each blob is streamed from its own offset (several at once for parallel pushes).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { ArchiveError } from './archive-error';
import { READ_CHUNK_SIZE } from './image-source';
import type { LayoutFiles } from './layout-files';
import { safeArchivePath, type TarEntry } from './tar-index';

/** Links are followed at most this deep, which also stops link cycles. */
const MAX_LINK_DEPTH = 16;

/** LayoutFiles over `file` (an uncompressed tar) given its index; `label` names it in errors. */
export function tarFiles(file: string, entries: Map<string, TarEntry>, label = file): LayoutFiles {
  const lookup = (path: string): TarEntry | undefined => followLinks(entries, safeArchivePath(path, label), label);
  const require = (path: string): TarEntry => {
    const entry = lookup(path);
    if (!entry) throw new ArchiveError('not-found', `${label}: ${path} not found in the archive`);
    return entry;
  };
  return {
    label,
    async exists(path) {
      return lookup(path) !== undefined;
    },
    async size(path) {
      return require(path).size;
    },
    async read(path, maxSize) {
      const entry = require(path);
      if (entry.size > maxSize) {
        throw new ArchiveError('invalid-archive', `${label}: ${path} is ${entry.size} bytes, more than the ${maxSize} allowed`);
      }
      return readRange(file, entry.offset, entry.size, label, path);
    },
    stream(path, options) {
      const entry = require(path);
      if (entry.size === 0) return emptyStream();
      return createReadStream(file, {
        start: entry.offset,
        end: entry.offset + entry.size - 1,
        highWaterMark: READ_CHUNK_SIZE,
        signal: options?.signal,
      });
    },
  };
}

/** Resolves symlinks and hard links to the regular file they name; undefined when missing or not a file. */
function followLinks(entries: Map<string, TarEntry>, name: string, label: string): TarEntry | undefined {
  let entry = entries.get(name);
  for (let depth = 0; entry && entry.type !== 'file'; depth++) {
    if (entry.type === 'directory') return undefined;
    if (depth >= MAX_LINK_DEPTH) throw new ArchiveError('unsafe-entry', `${label}: too many links resolving ${name}`);
    entry = entries.get(entry.linkTarget ?? '');
  }
  return entry;
}

async function readRange(file: string, offset: number, size: number, label: string, path: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const data = Buffer.alloc(size);
    const { bytesRead } = await handle.read(data, 0, size, offset);
    if (bytesRead < size) throw new ArchiveError('invalid-archive', `${label}: ${path} is truncated`);
    return data;
  } finally {
    await handle.close();
  }
}

async function* emptyStream(): AsyncIterable<Uint8Array> {}
