/**
 * A random-access index over an uncompressed tar file: one pass reads only the 512-byte headers
 * (seeking over file data), so a 1 GiB archive is indexed in milliseconds and each entry can later be
 * streamed straight from its offset, in parallel, without extracting anything to disk.
 *
 * Hostile archives are refused while indexing: names that are absolute or contain `..`, and links
 * whose target leaves the archive root. Only regular files, directories and links are kept.
 *
 * Reference: POSIX ustar and pax (IEEE Std 1003.1-2017, `pax`), GNU long names (`L`/`K` entries).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { ArchiveError } from './archive-error';

/** One kept entry: a regular file (with its data offset) or a link to another entry. */
export interface TarEntry {
  /** Normalised path inside the archive, without a leading `./` or trailing `/`. */
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink';
  /** Byte offset of the file data in the archive (files only). */
  offset: number;
  size: number;
  /** Normalised archive path a link points to (links only). */
  linkTarget?: string;
}

const BLOCK = 512;
/** pax/GNU long-name records are tiny; anything bigger is a hostile or broken archive. */
const MAX_META_SIZE = 1 << 20;

/** Reads the headers of `file` and returns its entries by normalised name (a later entry wins, as tar does). */
export async function indexTar(file: string, options: { signal?: AbortSignal } = {}): Promise<Map<string, TarEntry>> {
  const handle = await open(file, 'r');
  try {
    return await readEntries(handle, file, options.signal);
  } finally {
    await handle.close();
  }
}

interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
}

async function readEntries(handle: FileHandle, file: string, signal?: AbortSignal): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const header = Buffer.alloc(BLOCK);
  let position = 0;
  let pending: Pending = {};
  const { size: fileSize } = await handle.stat();
  for (;;) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(header, 0, BLOCK, position);
    if (bytesRead === 0 || isZeroBlock(header)) break;
    if (bytesRead < BLOCK) throw new ArchiveError('invalid-archive', `${file}: truncated tar header at byte ${position}`);
    verifyChecksum(header, file, position);
    const typeflag = String.fromCharCode(header[156] ?? 0);
    const size = pending.size ?? readNumber(header, 124, 12, file, position);
    const dataOffset = position + BLOCK;
    if (dataOffset + size > fileSize) throw new ArchiveError('invalid-archive', `${file}: truncated: entry at byte ${position} needs ${size} bytes`);
    position = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === 'x' || typeflag === 'L' || typeflag === 'K') {
      const data = await readMeta(handle, dataOffset, size, file);
      pending = mergeMeta(pending, typeflag, data);
      continue;
    }
    if (typeflag === 'g') continue; // global pax header: nothing we use
    const rawName = pending.path ?? readName(header);
    const rawLink = pending.linkpath ?? readString(header, 157, 100);
    pending = {};
    const entry = toEntry(typeflag, rawName, rawLink, dataOffset, size, file);
    if (entry) entries.set(entry.name, entry);
  }
  return entries;
}

function toEntry(typeflag: string, rawName: string, rawLink: string, offset: number, size: number, file: string): TarEntry | undefined {
  const name = safeArchivePath(rawName, file);
  if (name === '') return undefined;
  switch (typeflag) {
    case '0': case '\0': case '7':
      return { name, type: 'file', offset, size };
    case '5':
      return { name, type: 'directory', offset, size: 0 };
    case '2':
      return { name, type: 'symlink', offset, size: 0, linkTarget: resolveLink(name, rawLink, file, true) };
    case '1':
      return { name, type: 'hardlink', offset, size: 0, linkTarget: resolveLink(name, rawLink, file, false) };
    default:
      return undefined; // devices, fifos: never part of an image archive's structure
  }
}

/**
 * Normalises an entry name and refuses names that could escape the archive root: absolute paths and
 * any `..` component (even one that would normalise away, because extractors differ on it).
 */
export function safeArchivePath(raw: string, file: string): string {
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || raw.includes('\\')) {
    throw new ArchiveError('unsafe-entry', `${file}: refusing entry "${raw}": absolute path`);
  }
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new ArchiveError('unsafe-entry', `${file}: refusing entry "${raw}": ".." in path`);
  return parts.join('/');
}

/** Symlink targets are relative to the link's directory; hard link targets are archive paths. */
function resolveLink(name: string, target: string, file: string, relative: boolean): string {
  if (target.startsWith('/')) throw new ArchiveError('unsafe-entry', `${file}: refusing link "${name}" -> "${target}": absolute target`);
  const joined = relative ? posix.join(posix.dirname(name), target) : posix.normalize(target);
  if (joined === '..' || joined.startsWith('../')) {
    throw new ArchiveError('unsafe-entry', `${file}: refusing link "${name}" -> "${target}": target outside the archive`);
  }
  return safeArchivePath(joined, file);
}

function mergeMeta(pending: Pending, typeflag: string, data: Buffer): Pending {
  if (typeflag === 'L') return { ...pending, path: cString(data) };
  if (typeflag === 'K') return { ...pending, linkpath: cString(data) };
  const next = { ...pending };
  for (const [key, value] of parsePax(data)) {
    if (key === 'path') next.path = value;
    else if (key === 'linkpath') next.linkpath = value;
    else if (key === 'size' && /^\d+$/.test(value)) next.size = Number(value);
  }
  return next;
}

/** pax records are `"<len> <key>=<value>\n"`, where len counts the whole record in bytes. */
function parsePax(data: Buffer): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.toString('latin1', at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.push([record.slice(0, eq), record.slice(eq + 1)]);
    at += length;
  }
  return out;
}

async function readMeta(handle: FileHandle, offset: number, size: number, file: string): Promise<Buffer> {
  if (size > MAX_META_SIZE) throw new ArchiveError('invalid-archive', `${file}: extended header of ${size} bytes at byte ${offset}`);
  const data = Buffer.alloc(size);
  const { bytesRead } = await handle.read(data, 0, size, offset);
  if (bytesRead < size) throw new ArchiveError('invalid-archive', `${file}: truncated extended header at byte ${offset}`);
  return data;
}

function readName(header: Buffer): string {
  const name = readString(header, 0, 100);
  const isUstar = header.toString('latin1', 257, 262) === 'ustar';
  const prefix = isUstar ? readString(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function readString(buf: Buffer, offset: number, length: number): string {
  return cString(buf.subarray(offset, offset + length));
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.toString('utf8', 0, end < 0 ? buf.length : end);
}

/** Octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more. */
function readNumber(buf: Buffer, offset: number, length: number, file: string, position: number): number {
  const field = buf.subarray(offset, offset + length);
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = cString(field).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError('invalid-archive', `${file}: bad number "${text}" in tar header at byte ${position}`);
  return text === '' ? 0 : parseInt(text, 8);
}

function verifyChecksum(header: Buffer, file: string, position: number): void {
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += header[i] ?? 0;
  const stored = cString(header.subarray(148, 156)).trim();
  if (!/^[0-7]+$/.test(stored) || parseInt(stored, 8) !== sum) {
    throw new ArchiveError('invalid-archive', `${file}: bad tar header checksum at byte ${position} (not an uncompressed tar?)`);
  }
}

function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}
