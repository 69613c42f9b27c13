/**
 * Upload edge cases against tiny servers: a lost session restarts from POST, a retried PUT re-reads
 * its source from the start, a large blob goes as one PATCH with Content-Length, and abort stops it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { withRetry } from '../../src/http/retry';
import type { Transport } from '../../src/http/transport';
import { Repository } from '../../src/registry/repository';
import { sendJson, tinyServers, type Handler } from './support/tiny-server';

let work: string;
let file: string;
const content = Buffer.alloc(3 * 1024 * 1024 + 17, 'acrkit');
const descriptor = { mediaType: 'application/octet-stream', digest: `sha256:${createHash('sha256').update(content).digest('hex')}`, size: content.length };
const body = () => createReadStream(file, { highWaterMark: 1 << 20 });
const start = tinyServers();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-upload-'));
  file = join(work, 'blob');
  await writeFile(file, content);
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function serve(handler: Handler, transport: Transport = createUndiciTransport()) {
  const server = await start(handler);
  return { server, repo: new Repository({ transport, registry: server.host, repository: 'up/load', insecure: true }) };
}

/** POST opens session N; PUTs answer from `puts` in turn. */
function sessions(puts: Array<(res: Parameters<Handler>[1]) => void>): Handler {
  let session = 0;
  let put = 0;
  return (req, res) => {
    if (req.method === 'HEAD') return void res.writeHead(404).end();
    if (req.method === 'POST') {
      res.writeHead(202, { location: `/v2/up/load/blobs/uploads/s${++session}` });
      return void res.end();
    }
    puts[put++]!(res);
  };
}
const created = (res: Parameters<Handler>[1]) => void res.writeHead(201).end();

describe('pushBlob', () => {
  it('restarts from POST when the registry lost the upload session', async () => {
    const { server, repo } = await serve(sessions([
      (res) => sendJson(res, 404, { errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: 'blob upload unknown to registry' }] }),
      created,
    ]));
    await repo.pushBlob(descriptor, body);
    expect(server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /v2/up/load/blobs/uploads/', 'PUT /v2/up/load/blobs/uploads/s1',
      `HEAD /v2/up/load/blobs/${descriptor.digest}`, // did the lost session complete after all? no
      'POST /v2/up/load/blobs/uploads/', 'PUT /v2/up/load/blobs/uploads/s2',
    ]);
    expect(server.requests[4]!.body.equals(content)).toBe(true);
  });

  it('re-reads the source from the start when the transport retries a PUT', async () => {
    const retrying = withRetry(createUndiciTransport(), { maxRetries: 2, sleep: async () => {} });
    const { server, repo } = await serve(sessions([(res) => sendJson(res, 503, { errors: [] }), created]), retrying);
    await repo.pushBlob(descriptor, body);
    const puts = server.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[1]!.body.equals(content)).toBe(true);
  });

  it('sends a large blob as one PATCH with Content-Length, then an empty PUT with the digest', async () => {
    const { server, repo } = await serve((req, res) => {
      const status = req.method === 'POST' || req.method === 'PATCH' ? 202 : 201;
      res.writeHead(status, { location: `http://${req.headers.host}/v2/up/load/blobs/uploads/s1?_state=${req.method}` });
      res.end();
    });
    await repo.pushBlob(descriptor, body, { monolithicLimit: 1024 * 1024 });
    const [, patch, put] = server.requests;
    expect(patch).toMatchObject({ method: 'PATCH', url: '/v2/up/load/blobs/uploads/s1?_state=POST' });
    expect(patch!.headers['content-length']).toBe(String(content.length));
    expect(patch!.headers['transfer-encoding']).toBeUndefined();
    expect(patch!.body.equals(content)).toBe(true);
    expect(put!.url).toBe(`/v2/up/load/blobs/uploads/s1?_state=PATCH&digest=${encodeURIComponent(descriptor.digest)}`);
    expect(put!.body.length).toBe(0);
  });

  it('stops when the signal aborts, even while the registry stalls', async () => {
    const { repo } = await serve((req, res) => {
      if (req.method === 'POST') return void res.writeHead(202, { location: '/v2/up/load/blobs/uploads/s1' }).end();
      // Never answers the PUT.
    });
    const started = Date.now();
    await expect(repo.pushBlob(descriptor, body, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
