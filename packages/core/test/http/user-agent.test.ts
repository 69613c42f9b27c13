import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withLogging } from '../../src/http/logging';
import type { Transport, TransportRequest } from '../../src/http/transport';
import { ACRKIT_VERSION, DEFAULT_USER_AGENT, withUserAgent } from '../../src/http/user-agent';

const capture = () => {
  const seen: TransportRequest[] = [];
  const transport: Transport = async (r) => {
    seen.push(r);
    return new Response('ok', { status: 200 });
  };
  return { seen, transport };
};

describe('withUserAgent', () => {
  it('sets acrkit/<version> (+node), with an optional product in front, unless the caller set one', async () => {
    const { seen, transport } = capture();
    await withUserAgent(transport)({ method: 'GET', url: 'https://r.io/' });
    await withUserAgent(transport, 'acrkit-action/2.0.0')({ method: 'GET', url: 'https://r.io/', headers: { Accept: 'x' } });
    await withUserAgent(transport)({ method: 'GET', url: 'https://r.io/', headers: { 'user-agent': 'mine' } });
    expect(seen[0]?.headers).toEqual({ 'User-Agent': `acrkit/${ACRKIT_VERSION} (+node)` });
    expect(seen[1]?.headers).toEqual({ Accept: 'x', 'User-Agent': `acrkit-action/2.0.0 ${DEFAULT_USER_AGENT}` });
    expect(seen[2]?.headers).toEqual({ 'user-agent': 'mine' });
  });

  it('keeps ACRKIT_VERSION in step with package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(ACRKIT_VERSION).toBe(pkg.version);
  });
});

describe('withLogging', () => {
  it('logs method, redacted URL, status and duration; never headers', async () => {
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info() {}, warn() {}, error() {}, group: <T>(_n: string, f: () => Promise<T>) => f() };
    let t = 0;
    const now = () => (t += 5);
    const ok = withLogging(capture().transport, logger, { now });
    await ok({ method: 'get', url: 'https://r.io/b?sig=SAS&n=1', headers: { Authorization: 'Bearer SECRET' } });
    const failing = withLogging(async () => {
      throw new TypeError('fetch failed https://r.io/?sig=SAS', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    }, logger, { now });
    await expect(failing({ method: 'PUT', url: 'https://r.io/u?sig=SAS' })).rejects.toThrow();
    expect(lines).toEqual(['GET https://r.io/b?n=1 -> 200 (5 ms)', 'PUT https://r.io/u -> failed after 5 ms: TypeError <- Error ECONNRESET']);
    expect(lines.join('\n')).not.toMatch(/SECRET|SAS/);
  });
});
