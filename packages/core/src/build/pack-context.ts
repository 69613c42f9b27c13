/**
 * Streams a build context as a reproducible `.tar.gz`: entries in byte order of their paths, mtime 0,
 * uid/gid 0 with empty user and group names, normalised modes, and gzip with a fixed level and no
 * name or time in its header, so the same tree always gives the same bytes (and the same digest).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import { pack, type Header as TarHeaders } from 'tar-stream';
import { planBuildContext, type BuildContextOptions, type ContextEntry, type ContextPlan } from './context-plan';

const EPOCH = new Date(0);

/** A packed context: the gzip stream (read it once) and what it holds. */
export interface PackedContext extends ContextPlan {
  stream: Readable;
}

/** Plans the context (see `planBuildContext`) and starts streaming it. */
export async function packBuildContext(options: BuildContextOptions): Promise<PackedContext> {
  const plan = await planBuildContext(options);
  return { ...plan, stream: streamContext(plan.entries, { signal: options.signal }) };
}

/** Streams the given entries as a gzip-compressed tar. Aborting the signal destroys the stream. */
export function streamContext(entries: readonly ContextEntry[], options: { signal?: AbortSignal } = {}): Readable {
  const tar = pack();
  // Level 6 is zlib's default; pinning it keeps output stable if Node's default ever changes.
  const gzip = createGzip({ level: 6, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
  const onAbort = () => gzip.destroy(options.signal?.reason as Error);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void writeEntries(tar, entries, options.signal)
    .then(() => tar.finalize())
    .catch((err: Error) => tar.destroy(err));
  pipeline(tar, gzip)
    .catch((err: Error) => gzip.destroy(err))
    .finally(() => options.signal?.removeEventListener('abort', onAbort));
  return gzip;
}

async function writeEntries(tar: ReturnType<typeof pack>, entries: readonly ContextEntry[], signal?: AbortSignal): Promise<void> {
  for (const entry of entries) {
    signal?.throwIfAborted();
    const header: TarHeaders = {
      name: entry.path,
      mode: entry.mode,
      mtime: EPOCH,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      devmajor: 0,
      devminor: 0,
      type: entry.type,
      size: entry.type === 'file' ? entry.size : 0,
      linkname: entry.linkname ?? '',
    };
    if (entry.type !== 'file') {
      await new Promise<void>((res, rej) => tar.entry(header, (err) => (err ? rej(err) : res())));
    } else if (entry.content) {
      await new Promise<void>((res, rej) => tar.entry(header, entry.content!, (err) => (err ? rej(err) : res())));
    } else {
      const sink = tar.entry(header);
      // A file that changed size since it was planned makes tar-stream fail the entry: better than a corrupt context.
      await pipeline(createReadStream(entry.source!, { signal }), sink);
    }
  }
}

/** Reads a whole stream into one Buffer (tests, small contexts). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export type { BuildContextOptions, ContextEntry, ContextPlan };
