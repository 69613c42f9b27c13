/**
 * The undici transport's own response type, read as the core reads a WHATWG Response: through a real
 * node:http server and undici, with a WHATWG Response/Headers over the same wire as the oracle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportResponse } from '../../src/http/transport';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { UndiciResponse } from '../../src/http/undici-response';
import { startServer, type TestServer } from './test-server';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server answering every request with `status`, raw header pairs (repeats kept) and `body`. */
async function answering(status: number, headers: Array<[string, string]>, body = ''): Promise<TestServer> {
  const server = await startServer((_req, res) => {
    res.writeHead(status, headers.flat());
    res.end(body);
  });
  servers.push(server);
  return server;
}

/** What the core reads of a response's headers, as name → value in iteration order. */
function headerList(response: TransportResponse): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  response.headers.forEach((value, name) => list.push([name, value]));
  return list;
}

describe('UndiciResponse', () => {
  it('reads header fields as WHATWG Headers do: any case, repeats joined with ", ", sorted by name', async () => {
    const challenge = 'Bearer realm="https://r.example/oauth2/token",service="r.example"';
    const server = await answering(401, [['WWW-Authenticate', challenge], ['X-Ms-Thing', 'a'], ['X-Ms-Thing', 'b'], ['Content-Type', 'application/json']], '{}');
    const response = await createUndiciTransport()({ method: 'GET', url: `${server.url}/v2/` });
    expect(response).toBeInstanceOf(UndiciResponse);
    const oracle = await fetch(`${server.url}/v2/`);
    expect(response.headers.get('www-authenticate')).toBe(challenge);
    expect(response.headers.get('WWW-AUTHENTICATE')).toBe(oracle.headers.get('WWW-AUTHENTICATE'));
    expect(response.headers.get('x-ms-thing')).toBe('a, b');
    expect(response.headers.get('x-ms-thing')).toBe(oracle.headers.get('x-ms-thing'));
    expect(response.headers.has('Content-Type')).toBe(true);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.has('location')).toBe(false);
    const whatwg: Array<[string, string]> = [];
    oracle.headers.forEach((value, name) => whatwg.push([name, value]));
    expect(headerList(response)).toEqual(whatwg);
    await oracle.body?.cancel();
    expect([response.status, response.ok, response.url]).toEqual([401, false, `${server.url}/v2/`]);
    expect(await response.json()).toEqual({});
  });

  it('text, json and arrayBuffer read the body once; a second read fails as with WHATWG Response', async () => {
    const server = await answering(200, [['Content-Type', 'application/json']], '{"tags":["v1","ü"]}');
    const transport = createUndiciTransport();
    const asText = await transport({ method: 'GET', url: `${server.url}/t` });
    expect(asText.bodyUsed).toBe(false);
    expect(await asText.text()).toBe('{"tags":["v1","ü"]}');
    expect(asText.bodyUsed).toBe(true);
    await expect(asText.text()).rejects.toThrow(TypeError);
    expect(await (await transport({ method: 'GET', url: `${server.url}/t` })).json()).toEqual({ tags: ['v1', 'ü'] });
    const bytes = new Uint8Array(await (await transport({ method: 'GET', url: `${server.url}/t` })).arrayBuffer());
    expect(Buffer.from(bytes).toString('utf8')).toBe('{"tags":["v1","ü"]}');
  });

  it('a body held by a reader counts as used; HEAD and 204 answers have no body', async () => {
    const server = await answering(200, [['Content-Length', '5']], 'hello');
    const transport = createUndiciTransport();
    const streamed = await transport({ method: 'GET', url: `${server.url}/b` });
    const reader = streamed.body!.getReader();
    expect(streamed.bodyUsed).toBe(true);
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('hello');
    await expect(streamed.text()).rejects.toThrow(TypeError);
    const head = await transport({ method: 'HEAD', url: `${server.url}/b` });
    expect([head.status, head.body, head.headers.get('content-length')]).toEqual([200, null, '5']);
    expect(await head.text()).toBe('');
    const empty = await answering(204, []);
    const none = await transport({ method: 'DELETE', url: `${empty.url}/m` });
    expect([none.status, none.ok, none.body]).toEqual([204, true, null]);
  });

  it('never loads Node\'s global Response or Headers (their undici costs every process start ~30 ms)', async () => {
    const server = await answering(200, [['Content-Type', 'text/plain']], 'ok');
    const response = await createUndiciTransport()({ method: 'GET', url: `${server.url}/` });
    expect(response).not.toBeInstanceOf(Response);
    expect(response.headers).not.toBeInstanceOf(Headers);
    expect(await response.text()).toBe('ok');
  });
});
