import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Agent, EnvHttpProxyAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DRAIN_TIMEOUT_MS, discardBody } from '../../src/http/discard-body';
import { createDispatcher, createUndiciTransport, isLoopback, redirectedRequest } from '../../src/http/undici-transport';
import { withRetry } from '../../src/http/retry';
import { sendJson, startServer, type TestServer } from './test-server';

const servers: TestServer[] = [];
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const echo = () => serve((req, res, body) => sendJson(res, 200, { method: req.method, url: req.url, headers: req.headers, body }));

describe('createUndiciTransport', () => {
  it('sends string, byte, async-iterable and ReadableStream bodies, with Content-Length when known', async () => {
    const server = await echo();
    const transport = createUndiciTransport();
    const bodies = [
      { body: 'hello' },
      { body: new TextEncoder().encode('hello') },
      {
        body: () =>
          (async function* () {
            yield new TextEncoder().encode('hel');
            yield new TextEncoder().encode('lo');
          })(),
        contentLength: 5,
      },
      { body: () => new Blob(['hello']).stream(), contentLength: 5 },
    ];
    for (const extra of bodies) {
      const response = await transport({ method: 'PUT', url: `${server.url}/b`, ...extra });
      const got = (await response.json()) as { body: string; headers: Record<string, string> };
      expect(got.body).toBe('hello');
      expect(got.headers['content-length']).toBe('5');
    }
  });

  it('streams a body without a known length (chunked)', async () => {
    const server = await echo();
    const response = await createUndiciTransport()({ method: 'PATCH', url: `${server.url}/b`, body: () => new Blob(['x'.repeat(100_000)]).stream() });
    const got = (await response.json()) as { body: string; headers: Record<string, string> };
    expect(got.body.length).toBe(100_000);
    expect(got.headers['transfer-encoding']).toBe('chunked');
  });

  it('follows a same-origin redirect keeping Authorization', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/start') {
        res.writeHead(307, { location: '/end' });
        res.end();
      } else sendJson(res, 200, { auth: req.headers.authorization ?? null });
    });
    const response = await createUndiciTransport()({ method: 'GET', url: `${server.url}/start`, headers: { Authorization: 'Bearer T' } });
    expect(await response.json()).toEqual({ auth: 'Bearer T' });
    expect(response.url).toBe(`${server.url}/end`);
  });

  it('drops Authorization on a redirect to another host (blob 307 to storage), and keeps the SAS query', async () => {
    const storage = await echo();
    const registry = await serve((_req, res) => {
      res.writeHead(307, { location: `${storage.url}/blob?sig=SAS&se=1` });
      res.end('<a href="...">Temporary Redirect</a>.');
    });
    const response = await createUndiciTransport()({
      method: 'GET',
      url: `${registry.url}/v2/app/blobs/sha256:x`,
      headers: { Authorization: 'Bearer SECRET', Accept: '*/*' },
    });
    const got = (await response.json()) as { url: string; headers: Record<string, string> };
    expect(got.url).toBe('/blob?sig=SAS&se=1');
    expect(got.headers.authorization).toBeUndefined();
    expect(got.headers.accept).toBe('*/*');
    expect(registry.requests[0]?.headers.authorization).toBe('Bearer SECRET');
  });

  it('noRedirect returns the 307 itself', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const response = await createUndiciTransport()({ method: 'GET', url: `${server.url}/x`, noRedirect: true });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/elsewhere');
    expect(server.requests).toHaveLength(1);
  });

  it('turns a 303 after PUT into a GET without body, and gives up after maxRedirects', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/put') {
        res.writeHead(303, { location: '/done' });
        res.end();
      } else if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' });
        res.end();
      } else sendJson(res, 200, { method: req.method });
    });
    const transport = createUndiciTransport({ maxRedirects: 3 });
    const response = await transport({ method: 'PUT', url: `${server.url}/put`, body: 'data', headers: { 'Content-Type': 'text/plain' } });
    expect(await response.json()).toEqual({ method: 'GET' });
    expect(server.requests[1]?.body).toBe('');
    await expect(transport({ method: 'GET', url: `${server.url}/loop` })).rejects.toThrow('more than 3 redirects');
  });

  it('aborts an in-flight request when the signal fires', async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    await expect(createUndiciTransport()({ method: 'GET', url: `${server.url}/stall`, signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a reset in the middle of the request body is retried with a fresh body', async () => {
    let connections = 0;
    const raw = http.createServer((req, res) => {
      connections++;
      if (connections === 1) {
        req.once('data', () => req.socket.destroy());
        return;
      }
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => sendJson(res, 201, { n }));
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const port = (raw.address() as AddressInfo).port;
      const body = () =>
        (async function* () {
          for (let i = 0; i < 64; i++) {
            yield new Uint8Array(64 * 1024);
            await new Promise((r) => setImmediate(r));
          }
        })();
      const response = await withRetry(createUndiciTransport(), { minDelayMs: 5, maxDelayMs: 10 })({
        method: 'PUT',
        url: `http://127.0.0.1:${port}/up`,
        body,
        contentLength: 64 * 64 * 1024,
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ n: 64 * 64 * 1024 });
      expect(connections).toBe(2);
    } finally {
      raw.closeAllConnections();
      await new Promise((r) => raw.close(r));
    }
  });

  it('replays a streamed upload answered with 307 from a fresh body, and answers with status, headers, body and url', async () => {
    let reads = 0;
    const server = await serve((req, res, body) => {
      if (req.url === '/up') {
        res.writeHead(307, { location: '/moved?x=1' });
        res.end();
      } else {
        res.setHeader('docker-content-digest', 'sha256:abc');
        res.setHeader('x-many', ['a', 'b']);
        sendJson(res, 201, { url: req.url, body });
      }
    });
    const body = () => {
      reads++;
      return (async function* () {
        yield new TextEncoder().encode('chunk-');
        yield new TextEncoder().encode('data');
      })();
    };
    const response = await createUndiciTransport()({ method: 'PUT', url: `${server.url}/up`, body, contentLength: 10 });
    expect(response.status).toBe(201);
    expect(response.headers.get('docker-content-digest')).toBe('sha256:abc');
    expect(response.headers.get('x-many')).toBe('a, b');
    expect(response.url).toBe(`${server.url}/moved?x=1`);
    expect(await response.json()).toEqual({ url: '/moved?x=1', body: 'chunk-data' });
    expect(reads).toBe(2);
  });

  it('aborts a streamed upload with the signal\'s reason, and cancelling its answer does not throw', async () => {
    const server = await serve((_req, res) => sendJson(res, 202, { ok: true }));
    const transport = createUndiciTransport();
    const endless = () =>
      (async function* () {
        for (;;) {
          yield new Uint8Array(1024);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
    const stall = await serve(() => {
      /* reads nothing, never answers */
    });
    await expect(transport({ method: 'PATCH', url: `${stall.url}/up`, body: endless, signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const answer = await transport({ method: 'PATCH', url: `${server.url}/up`, body: () => (async function* () { yield new Uint8Array(3); })(), contentLength: 3 });
    expect(answer.status).toBe(202);
    await answer.body?.cancel();
    await new Promise((r) => setTimeout(r, 20));
  });

  it('keeps one connection across HEADs and answers whose bodies are dropped (no new TLS handshake per request)', async () => {
    const ports: number[] = [];
    const server = await serve((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      if (req.method === 'HEAD') res.writeHead(404, { 'content-type': 'application/json', 'content-length': '96' }).end();
      else if (req.method === 'POST') res.writeHead(202, { location: '/upload/1', 'content-length': '0' }).end();
      else sendJson(res, 201, { note: 'a small body nobody reads' });
    });
    const transport = createUndiciTransport({ dispatcher: new Agent() });
    for (let i = 0; i < 3; i++) {
      expect((await transport({ method: 'HEAD', url: `${server.url}/blobs/${i}` })).status).toBe(404);
      await discardBody(await transport({ method: 'POST', url: `${server.url}/uploads/` }));
      const put = await transport({ method: 'PUT', url: `${server.url}/upload/1`, body: () => new Blob(['layer']).stream(), contentLength: 5 });
      expect(put.status).toBe(201);
      await discardBody(put);
    }
    expect(ports).toHaveLength(9);
    // Two at most: a request sent while the previous answer is still settling may open a second one.
    // Closing after each HEAD, or after each dropped body, would take 4 to 9.
    expect(new Set(ports).size).toBeLessThanOrEqual(2);
  });

  it('a reset in the middle of the response body surfaces as an error when reading (no hang)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000000' });
      res.write('x'.repeat(1000));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await createUndiciTransport()({ method: 'GET', url: `${server.url}/blob` });
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});

describe('proxies from the environment', () => {
  it('uses a plain Agent without proxy variables and an EnvHttpProxyAgent with them', () => {
    expect(createDispatcher({})).not.toBeInstanceOf(EnvHttpProxyAgent);
    expect(createDispatcher({ HTTPS_PROXY: 'http://proxy:3128' })).toBeInstanceOf(EnvHttpProxyAgent);
    expect(createDispatcher({ http_proxy: 'http://proxy:3128' })).toBeInstanceOf(EnvHttpProxyAgent);
  });

  it('sends remote hosts through HTTP_PROXY, but never loopback or NO_PROXY hosts', async () => {
    const direct = await echo();
    // A CONNECT proxy that records the authority asked for and tunnels every request to the echo server.
    const tunnels: string[] = [];
    const sockets: Duplex[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      tunnels.push(req.url ?? '');
      sockets.push(socket);
      const upstream = net.connect(Number(new URL(direct.url).port), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const transport = createUndiciTransport({ env: { HTTP_PROXY: proxyUrl, NO_PROXY: 'skip.invalid' } });

      const viaProxy = await transport({ method: 'GET', url: 'http://registry.invalid/v2/', signal: AbortSignal.timeout(5000) });
      expect(((await viaProxy.json()) as { url: string }).url).toBe('/v2/');
      expect(tunnels).toEqual(['registry.invalid:80']);

      const local = await transport({ method: 'GET', url: `${direct.url}/v2/`, signal: AbortSignal.timeout(5000) });
      expect(local.status).toBe(200);
      await transport({ method: 'GET', url: `http://localhost:${new URL(direct.url).port}/v2/`, signal: AbortSignal.timeout(5000) }).catch(() => {});
      // skip.invalid is in NO_PROXY: it goes direct, and fails to resolve.
      await expect(transport({ method: 'GET', url: 'http://skip.invalid/v2/', signal: AbortSignal.timeout(5000) })).rejects.toThrow();
      expect(tunnels).toEqual(['registry.invalid:80']);
    } finally {
      sockets.forEach((s) => s.destroy()); // tunnels are detached from the server: close them ourselves
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('redirectedRequest', () => {
  it('refuses https to http except to loopback', () => {
    const req = { method: 'GET', url: 'https://r.io/v2/x', headers: { Authorization: 'Bearer t' } };
    expect(() => redirectedRequest(req, 307, new URL('http://evil.example/x'))).toThrow('refusing redirect from https to http://evil.example');
    expect(redirectedRequest(req, 307, new URL('http://127.0.0.1:1/x')).headers).toEqual({});
  });

  it('keeps method and body on 307/308, and turns 301/302 after POST into GET', () => {
    const post = { method: 'POST', url: 'https://r.io/a', body: 'x', contentLength: 1, headers: { 'Content-Type': 'a/b' } };
    expect(redirectedRequest(post, 308, new URL('https://r.io/b'))).toMatchObject({ method: 'POST', body: 'x' });
    const moved = redirectedRequest(post, 302, new URL('https://r.io/b'));
    expect(moved).toEqual({ method: 'GET', url: 'https://r.io/b', headers: {} });
  });

  it.each([['localhost', true], ['127.0.0.1', true], ['127.1.2.3', true], ['[::1]', true], ['::1', true], ['10.0.0.1', false], ['r.io', false]])(
    'isLoopback(%s) = %s',
    (host, expected) => expect(isLoopback(host)).toBe(expected),
  );
});

describe('discardBody', () => {
  it('cancels a small body that stalls instead of waiting for it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"errors":'); // and never the rest
    });
    const response = await createUndiciTransport({ dispatcher: new Agent() })({ method: 'GET', url: `${server.url}/v2/` });
    const started = performance.now();
    await discardBody(response);
    expect(performance.now() - started).toBeLessThan(DRAIN_TIMEOUT_MS + 500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(DRAIN_TIMEOUT_MS - 50);
  });

  it('drains a small body that arrives, and leaves a used one alone', async () => {
    const server = await serve((_req, res) => sendJson(res, 404, { errors: [{ code: 'BLOB_UNKNOWN' }] }));
    const response = await createUndiciTransport()({ method: 'GET', url: `${server.url}/x` });
    await discardBody(response);
    expect(response.bodyUsed).toBe(true);
    const read = await createUndiciTransport()({ method: 'GET', url: `${server.url}/x` });
    await read.text();
    await expect(discardBody(read)).resolves.toBeUndefined();
  });
});
