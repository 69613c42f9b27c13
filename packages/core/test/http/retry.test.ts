import { afterEach, describe, expect, it } from 'vitest';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { withRetry, type RetryOptions } from '../../src/http/retry';
import type { Transport, TransportRequest } from '../../src/http/transport';
import { sendJson, startServer, type TestServer } from './test-server';

/** A fake clock whose sleep advances time instantly and records the waits. */
function fakeTime() {
  let now = 1_000_000;
  const waits: number[] = [];
  const options: RetryOptions = {
    now: () => now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      waits.push(ms);
      now += ms;
    },
  };
  return { options, waits };
}

function scripted(statuses: Array<number | Error>, headers: Record<string, string> = {}) {
  const calls: TransportRequest[] = [];
  const transport: Transport = async (request) => {
    calls.push(request);
    const next = statuses[Math.min(calls.length - 1, statuses.length - 1)] as number | Error;
    if (next instanceof Error) throw next;
    return new Response(`status ${next}`, { status: next, headers });
  };
  return { transport, calls };
}

const reset = () => new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
const GET: TransportRequest = { method: 'GET', url: 'https://r.io/v2/' };

describe('withRetry (scripted transport)', () => {
  it('retries 500 then succeeds', async () => {
    const { transport, calls } = scripted([500, 503, 200]);
    const t = fakeTime();
    const response = await withRetry(transport, t.options)(GET);
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(t.waits).toEqual([200, 300]);
  });

  it.each([400, 401, 403, 404, 405, 409, 501])('never retries %i', async (status) => {
    const { transport, calls } = scripted([status, 200]);
    expect((await withRetry(transport, fakeTime().options)(GET)).status).toBe(status);
    expect(calls).toHaveLength(1);
  });

  it('stops after maxRetries (default 4) and returns the last answer', async () => {
    const { transport, calls } = scripted([503]);
    const t = fakeTime();
    expect((await withRetry(transport, t.options)(GET)).status).toBe(503);
    expect(calls).toHaveLength(5);
    expect(t.waits).toEqual([200, 300, 500, 900]);
  });

  it('stops within the total time bound', async () => {
    const { transport, calls } = scripted([503], { 'retry-after': '4' });
    const t = fakeTime();
    await withRetry(transport, { ...t.options, maxRetries: 100, maxElapsedMs: 10_000 })(GET);
    expect(t.waits).toEqual([4000, 4000]);
    expect(calls).toHaveLength(3);
  });

  it('honours Retry-After and caps it', async () => {
    const t = fakeTime();
    await withRetry(scripted([429, 200], { 'retry-after': '2' }).transport, t.options)(GET);
    await withRetry(scripted([429, 200], { 'retry-after': '3600' }).transport, { ...t.options, maxRetryAfterMs: 5000 })(GET);
    expect(t.waits).toEqual([2000, 5000]);
  });

  it('retries connection resets but not refused connections, and rethrows the last error', async () => {
    const ok = scripted([reset(), reset(), 200]);
    expect((await withRetry(ok.transport, fakeTime().options)(GET)).status).toBe(200);
    expect(ok.calls).toHaveLength(3);

    const always = scripted([reset()]);
    await expect(withRetry(always.transport, { ...fakeTime().options, maxRetries: 2 })(GET)).rejects.toThrow('fetch failed');
    expect(always.calls).toHaveLength(3);

    const refused = scripted([new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })]);
    await expect(withRetry(refused.transport, fakeTime().options)(GET)).rejects.toThrow('fetch failed');
    expect(refused.calls).toHaveLength(1);
  });

  it('does not retry a body that cannot be rewound; retries strings, bytes and body functions', async () => {
    const stream = scripted([503, 200]);
    const once = { ...GET, method: 'PUT', body: new ReadableStream() as unknown as TransportRequest['body'] };
    expect((await withRetry(stream.transport, fakeTime().options)(once)).status).toBe(503);
    expect(stream.calls).toHaveLength(1);
    for (const body of ['x', new Uint8Array(1), () => new Uint8Array(1)]) {
      const s = scripted([503, 200]);
      expect((await withRetry(s.transport, fakeTime().options)({ ...GET, method: 'PUT', body })).status).toBe(200);
      expect(s.calls).toHaveLength(2);
    }
  });

  it('maxRetries 0 disables retrying', async () => {
    const s = scripted([503, 200]);
    expect((await withRetry(s.transport, { ...fakeTime().options, maxRetries: 0 })(GET)).status).toBe(503);
  });

  it('an abort during the backoff ends the wait at once with the abort reason', async () => {
    const { transport, calls } = scripted([503]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
    await expect(withRetry(transport, { minDelayMs: 10_000, maxDelayMs: 10_000 })({ ...GET, signal: controller.signal })).rejects.toThrow(
      'cancelled by test',
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(calls).toHaveLength(1);
  });

  it('logs each retry with a redacted URL', async () => {
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info() {}, warn() {}, error() {}, group: <T>(_n: string, f: () => Promise<T>) => f() };
    await withRetry(scripted([502, 200]).transport, { ...fakeTime().options, logger })({ ...GET, url: 'https://r.io/b?sig=SECRET' });
    expect(lines).toEqual(['retrying GET https://r.io/b after 502 in 200 ms (retry 1 of 4)']);
  });
});

describe('withRetry against a real server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const fast: RetryOptions = { minDelayMs: 5, maxDelayMs: 20 };

  it('429 with Retry-After: 1 waits about a second, then succeeds', async () => {
    server = await startServer((_req, res, _body, i) => {
      if (i === 0) sendJson(res, 429, { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, { 'retry-after': '1' });
      else sendJson(res, 200, { ok: true });
    });
    const started = Date.now();
    const response = await withRetry(createUndiciTransport(), fast)({ method: 'GET', url: `${server.url}/v2/` });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('500 then 200', async () => {
    server = await startServer((_req, res, _body, i) => sendJson(res, i === 0 ? 500 : 200, {}));
    expect((await withRetry(createUndiciTransport(), fast)({ method: 'GET', url: `${server.url}/x` })).status).toBe(200);
  });

  it('a connection reset mid-body is retried, re-reading a function body', async () => {
    server = await startServer((req, res, body, i) => {
      if (i === 0) req.socket.destroy();
      else sendJson(res, 201, { got: body.length });
    });
    let calls = 0;
    const body = () => {
      calls++;
      return (async function* () {
        yield new Uint8Array(1000).fill(97);
        yield new Uint8Array(1000).fill(98);
      })();
    };
    const response = await withRetry(createUndiciTransport(), fast)({ method: 'PUT', url: `${server.url}/up`, body, contentLength: 2000 });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ got: 2000 });
    expect(calls).toBe(2);
    expect(server.requests[1]?.headers['content-length']).toBe('2000');
  });

  it('a server that keeps resetting is tried maxRetries + 1 times, then the error surfaces', async () => {
    server = await startServer((req) => {
      req.socket.destroy();
    });
    await expect(withRetry(createUndiciTransport(), { ...fast, maxRetries: 3 })({ method: 'GET', url: `${server.url}/x` })).rejects.toThrow();
    expect(server.requests).toHaveLength(4);
  });

  it('a refused connection is not retried', async () => {
    const closed = await startServer(() => {});
    const url = closed.url;
    await closed.close();
    let attempts = 0;
    const base = createUndiciTransport();
    const counting: Transport = (r) => {
      attempts++;
      return base(r);
    };
    await expect(withRetry(counting, fast)({ method: 'GET', url })).rejects.toThrow();
    expect(attempts).toBe(1);
  });

  it('bounds the time spent: a throttling server with Retry-After beyond the budget is given up on', async () => {
    server = await startServer((_req, res) => sendJson(res, 503, {}, { 'retry-after': '1' }));
    const started = Date.now();
    const response = await withRetry(createUndiciTransport(), { ...fast, maxRetries: 50, maxElapsedMs: 1500 })({ method: 'GET', url: `${server.url}/x` });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(2);
  });
});
