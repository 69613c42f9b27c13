import { describe, expect, it } from 'vitest';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { NetworkError } from '../../src/http/network-error';
import { isRetryableError } from '../../src/http/retry-policy';
import { startServer } from './test-server';

const coded = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(`boom ${code}`), { code }) });

describe('NetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'CONNECTION_REFUSED', 'connection refused', false],
    ['ECONNRESET', 'CONNECTION_RESET', 'connection reset (ECONNRESET)', true],
    ['UND_ERR_SOCKET', 'CONNECTION_RESET', 'closed by the other side', true],
    ['ENOTFOUND', 'DNS', 'host not found', false],
    ['UND_ERR_HEADERS_TIMEOUT', 'TIMEOUT', 'no response headers', true],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS', 'NODE_EXTRA_CA_CERTS', false],
    ['SOMETHING_ELSE', 'OTHER', 'boom SOMETHING_ELSE', false],
  ])('%s -> %s', (code, expected, phrase, retryable) => {
    const err = NetworkError.fromFetchError('get', 'https://r.io/v2/x?sig=SAS', coded(code));
    expect(NetworkError.is(err, expected as NetworkError['code'])).toBe(true);
    expect(err.message).toMatch(/^GET https:\/\/r\.io\/v2\/x: /);
    expect(err.message).toContain(phrase);
    expect(err.message).not.toContain('SAS');
    expect(isRetryableError(err)).toBe(retryable);
  });

  it('a refused connection from the real undici transport names the URL and is a NetworkError', async () => {
    const server = await startServer(() => {});
    const url = `${server.url}/v2/?sig=SECRET`;
    await server.close();
    const err = await createUndiciTransport()({ method: 'GET', url }).catch((e: unknown) => e);
    expect(NetworkError.is(err, 'CONNECTION_REFUSED')).toBe(true);
    expect((err as Error).message).toBe(`GET ${server.url}/v2/: connection refused (is the registry running at this address?) (ECONNREFUSED)`);
  });

  it('asks for identity encoding so blobs arrive as stored', async () => {
    const server = await startServer((req, res) => {
      res.end(req.headers['accept-encoding']);
    });
    try {
      expect(await (await createUndiciTransport()({ method: 'GET', url: server.url })).text()).toBe('identity');
      expect(await (await createUndiciTransport()({ method: 'GET', url: server.url, headers: { 'Accept-Encoding': 'gzip' } })).text()).toBe('gzip');
    } finally {
      await server.close();
    }
  });
});
