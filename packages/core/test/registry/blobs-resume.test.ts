/**
 * fetchBlob resuming a body cut mid-read, over real HTTP against tiny servers: the Range it sends,
 * the redirect it follows again (ACR's SAS URL may be signed per request) without the registry
 * token, and what it refuses.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../src/http/network-error';
import { DigestMismatchError } from '../../src/oci/digest';
import { fetchBlob } from '../../src/registry/blobs';
import { createEndpoint } from '../../src/registry/endpoint';
import { RegistryProtocolError } from '../../src/registry/registry-protocol-error';
import { tinyServers, withRegistryToken } from './support/tiny-server';

const BLOB = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 31) % 253));
const DIGEST = `sha256:${createHash('sha256').update(BLOB).digest('hex')}`;

const start = tinyServers();
const withToken = withRegistryToken();

/** Answers the blob from `range` (206) or whole (200); with `cutAfter`, destroys the socket after that many body bytes. */
function sendBlob(res: ServerResponse, range: string | undefined, options: { cutAfter?: number; ignoreRange?: boolean; start?: number } = {}): void {
  const from = options.ignoreRange || !range ? 0 : (options.start ?? Number(/^bytes=(\d+)-$/.exec(range)![1]));
  const part = BLOB.subarray(from);
  const headers: Record<string, string> = { 'content-length': String(part.length) };
  if (from > 0 || (range && !options.ignoreRange)) headers['content-range'] = `bytes ${from}-${BLOB.length - 1}/${BLOB.length}`;
  res.writeHead(range && !options.ignoreRange ? 206 : 200, headers);
  if (options.cutAfter === undefined) return void res.end(part);
  res.write(part.subarray(0, options.cutAfter));
  setTimeout(() => res.socket?.destroy(), 20);
}

const endpointFor = (host: string) => createEndpoint({ transport: withToken, registry: host, repository: 'team/app', insecure: true });

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

describe('fetchBlob resumes a body cut mid-read', () => {
  it('sends Range: bytes=N- to the registry and splices the 206 on; the digest covers the whole blob', async () => {
    let n = 0;
    const registry = await start((req, res) => sendBlob(res, req.headers.range, { cutAfter: ++n === 1 ? 70_001 : undefined }));
    const resumed: number[] = [];
    const { stream } = await fetchBlob(endpointFor(registry.host), DIGEST, { onResume: (o) => resumed.push(o) });
    expect((await readAll(stream)).equals(BLOB)).toBe(true);
    expect(registry.requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=70001-']);
    expect(resumed).toEqual([70_001]);
  });

  it('skips the bytes it has when the server ignores Range (200)', async () => {
    let n = 0;
    const registry = await start((req, res) => sendBlob(res, req.headers.range, { cutAfter: ++n === 1 ? 5000 : undefined, ignoreRange: true }));
    const { stream } = await fetchBlob(endpointFor(registry.host), DIGEST);
    expect((await readAll(stream)).equals(BLOB)).toBe(true);
    expect(registry.requests).toHaveLength(2);
  });

  it('follows the redirect again on each resume, sending Range but never the registry token to storage', async () => {
    let cuts = 0;
    const storage = await start((req, res) => sendBlob(res, req.headers.range, { cutAfter: ++cuts <= 2 ? 40_000 : undefined }));
    let signed = 0;
    const registry = await start((_req, res) => {
      res.writeHead(307, { location: `http://${storage.host}/container/blob?sig=SAS${++signed}` }).end();
    });
    const { stream } = await fetchBlob(endpointFor(registry.host), DIGEST);
    expect((await readAll(stream)).equals(BLOB)).toBe(true);
    expect(registry.requests.map((r) => [r.headers.range, r.headers.authorization])).toEqual([
      [undefined, 'Bearer registry-secret'],
      ['bytes=40000-', 'Bearer registry-secret'],
      ['bytes=80000-', 'Bearer registry-secret'],
    ]);
    expect(storage.requests.map((r) => [r.url, r.headers.range, r.headers.authorization])).toEqual([
      ['/container/blob?sig=SAS1', undefined, undefined],
      ['/container/blob?sig=SAS2', 'bytes=40000-', undefined],
      ['/container/blob?sig=SAS3', 'bytes=80000-', undefined],
    ]);
  });

  it('fails with NetworkError CONNECTION_RESET naming the blob when cut four times', async () => {
    const registry = await start((req, res) => sendBlob(res, req.headers.range, { cutAfter: 1000 }));
    const { stream } = await fetchBlob(endpointFor(registry.host), DIGEST);
    const err = await readAll(stream).catch((e: unknown) => e);
    expect(NetworkError.is(err, 'CONNECTION_RESET')).toBe(true);
    expect((err as Error).message).toMatch(
      new RegExp(`^GET http://127\\.0\\.0\\.1:\\d+/v2/team/app/blobs/${DIGEST}: connection closed while reading blob 127\\.0\\.0\\.1:\\d+/team/app@${DIGEST} \\(4000 bytes in, after 3 resumed GETs\\)$`),
    );
    expect(registry.requests).toHaveLength(4);
  });

  it('refuses a 206 that starts at another byte', async () => {
    let n = 0;
    const registry = await start((req, res) => sendBlob(res, req.headers.range, { cutAfter: ++n === 1 ? 1000 : undefined, start: 10 }));
    const { stream } = await fetchBlob(endpointFor(registry.host), DIGEST);
    const err = await readAll(stream).catch((e: unknown) => e);
    expect(RegistryProtocolError.is(err, 'bad-range')).toBe(true);
  });

  it('still rejects spliced bytes that do not match the digest', async () => {
    let n = 0;
    const registry = await start((req, res) => {
      if (++n === 1) return sendBlob(res, req.headers.range, { cutAfter: 1000 });
      const rest = Buffer.from(BLOB.subarray(1000));
      rest[5] ^= 1;
      res.writeHead(206, { 'content-range': `bytes 1000-${BLOB.length - 1}/${BLOB.length}` }).end(rest);
    });
    const { stream } = await fetchBlob(endpointFor(registry.host), DIGEST);
    await expect(readAll(stream)).rejects.toBeInstanceOf(DigestMismatchError);
  });
});
