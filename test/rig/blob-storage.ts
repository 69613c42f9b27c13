/**
 * A stand-in for the Azure Blob Storage endpoint ACR redirects blob downloads to: `GET /v2/<n>/blobs/<digest>`
 * answers 307 to a SAS URL on another origin, and the download carries no registry token.
 * Served from Distribution's own filesystem layout (`docker/registry/v2/blobs/sha256/<2>/<hex>/data`, the
 * same path real ACR URLs show), with `Range`/`x-ms-range` support as Blob Storage has.
 * Reference: acr-wire.md §3 step 4 (recorded 307 and the follow-up GET without Authorization).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { registerSecrets } from '../support/secret-registry';
import type { KeyPair } from './ca';
import { sendJson, startHttpsServer, type RunningServer } from './https-server';
import type { RequestLog } from './request-log';

/** SAS URLs stay valid this long (ACR's recorded ones: 20 minutes). */
const SAS_LIFETIME_MS = 20 * 60_000;

/** The running stand-in. */
export interface BlobStorage {
  /** A signed download URL for `digest` (`sha256:<hex>`), on `https://localhost:<port>`. */
  sasUrl(digest: string): string;
  /** Signatures handed out so far (they are secrets: SAS `sig` values). */
  signatures(): string[];
  close(): Promise<void>;
}

function blobError(res: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), 'x-ms-error-code': code }).end(xml);
}

/** Parses `bytes=a-b` / `bytes=a-`; undefined when absent, 'bad' when unsatisfiable. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | 'bad' {
  if (!header) return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return 'bad';
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start > end || start >= size ? 'bad' : { start, end };
}

/** Starts the blob stand-in reading from Distribution's storage root. */
export async function startBlobStorage(tls: KeyPair, storageDir: string, log: RequestLog, now: () => number): Promise<BlobStorage> {
  const key = randomBytes(32);
  const issued: string[] = [];
  const sign = (path: string, se: string): string => createHmac('sha256', key).update(`${path}\n${se}`).digest('base64url');

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const record = log.start(req.method ?? 'GET', `blob:${url.pathname}`, now());
    record.withAuthorization = req.headers.authorization !== undefined;
    res.on('close', () => (record.status = res.statusCode));
    const m = /^\/registry\/docker\/registry\/v2\/blobs\/sha256\/[0-9a-f]{2}\/([0-9a-f]{64})\/data$/.exec(url.pathname);
    const se = url.searchParams.get('se') ?? '';
    const sig = Buffer.from(url.searchParams.get('sig') ?? '');
    const expected = Buffer.from(sign(url.pathname, se));
    if (!m || sig.length !== expected.length || !timingSafeEqual(sig, expected)) {
      blobError(res, 403, 'AuthenticationFailed', 'Server failed to authenticate the request.');
      return;
    }
    if (Date.parse(se) < now()) {
      blobError(res, 403, 'AuthenticationFailed', 'Signed expiry time has passed.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method not allowed' });
      return;
    }
    const file = join(storageDir, url.pathname.slice('/registry'.length));
    const size = (await stat(file).catch(() => undefined))?.size;
    if (size === undefined) {
      blobError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
      return;
    }
    const range = parseRange((req.headers['x-ms-range'] as string | undefined) ?? req.headers.range, size);
    if (range === 'bad') {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
      'x-ms-blob-type': 'BlockBlob',
      etag: `"${m[1]!.slice(0, 16)}"`,
    };
    if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD' || size === 0) res.end();
    else createReadStream(file, { start, end }).pipe(res);
  };
  let server: RunningServer | undefined = undefined;
  server = await startHttpsServer(tls, serve);
  const origin = `https://localhost:${server.port}`;
  return {
    sasUrl(digest) {
      const hex = digest.slice('sha256:'.length);
      const path = `/registry/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`;
      const se = new Date(now() + SAS_LIFETIME_MS).toISOString().replace(/\.\d+Z$/, 'Z');
      const sig = sign(path, se);
      issued.push(sig);
      registerSecrets('blob SAS signature', sig);
      return `${origin}${path}?se=${encodeURIComponent(se)}&sig=${encodeURIComponent(sig)}&sp=r&spr=https&sr=b&sv=2016-05-31`;
    },
    signatures: () => [...issued],
    close: () => server.close(),
  };
}
