/**
 * Listing under faults, through the fault proxy in front of the rig: tags (distribution API), the
 * catalog, and tags through the ACR backend (/acr/v1 via the Azure SDK pipeline over our transport).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../packages/core/src/acr/create-registry-client';
import { staticCredential } from '../../packages/core/src/auth/credential';
import { NetworkError } from '../../packages/core/src/http/network-error';
import { RegistryError } from '../../packages/core/src/http/registry-error';
import { listRepositories } from '../../packages/core/src/registry/catalog';
import { collectAll } from '../../packages/core/src/registry/paged-list';
import { pushImage } from '../../packages/core/src/registry/push-image';
import { openOciLayout } from '../../packages/core/src/sources/oci-layout-source';
import { generateOciLayout } from '../support/gen-oci-layout';
import { abortAfter } from './abort-after';
import type { FaultRule } from './fault-proxy';
import { countSeen, FAST_RETRY, rejection, startFaultBench, type FaultBench } from './fault-bench';

let bench: FaultBench;
const messages: string[] = [];
const REPO = 'faults/listed';
const TAGS = ['a', 'b', 'c', 'd', 'e'];

beforeAll(async () => {
  bench = await startFaultBench();
  const dir = join(bench.work, 'img');
  await generateOciLayout({ dir, seed: `list-${Date.now()}`, tag: 'v1' });
  const source = await openOciLayout(dir);
  await pushImage(source, bench.direct(REPO), { tags: TAGS }).finally(() => source.close());
}, 120_000);

afterAll(async () => {
  await bench?.stop(messages);
});

const listTags = (retry = FAST_RETRY, signal?: AbortSignal) => collectAll(bench.faulty(REPO, retry).listTags({ signal }));
const TAGS_LIST = /\/tags\/list/;

describe('list tags (distribution API)', () => {
  it.each<[string, FaultRule]>([
    ['502 once', { method: 'GET', path: TAGS_LIST, authorizedOnly: true, fault: { kind: 'status', status: 502 } }],
    ['a reset before the answer', { method: 'GET', path: TAGS_LIST, fault: { kind: 'reset-request' } }],
    ['429 with Retry-After: 0', { method: 'GET', path: TAGS_LIST, fault: { kind: 'status', status: 429, retryAfter: '0' } }],
    ['an expired token', { method: 'GET', path: TAGS_LIST, fault: { kind: 'expire-token' } }],
  ])('lists every tag despite %s', async (_name, rule) => {
    const transport = bench.faulty(REPO);
    await transport.ping(); // a warm client: its token is cached, as in a long-running extension
    await collectAll(transport.listTags());
    bench.proxy.injectOnly(rule);
    expect((await collectAll(transport.listTags())).sort()).toEqual(TAGS);
    expect(bench.proxy.records.some((r) => r.fault !== undefined)).toBe(true);
  });

  it.each<[string, FaultRule['fault'], RegExp]>([
    ['truncated', { kind: 'truncate-json' }, /invalid JSON/],
    ['corrupted', { kind: 'corrupt-json' }, /invalid JSON/],
  ])('fails with a clear error, once, when the page is %s', async (_name, fault, message) => {
    bench.proxy.injectOnly({ method: 'GET', path: TAGS_LIST, authorizedOnly: true, count: Infinity, fault });
    const err = await rejection(listTags());
    messages.push(err.message);
    expect(err.message).toMatch(message);
    expect(err.message).toContain('/tags/list');
    expect(bench.proxy.records.filter((r) => r.fault === fault.kind)).toHaveLength(1);
  });

  it('a page cut mid-body on both reads fails with a NetworkError naming the listing (one retry, no more)', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TAGS_LIST, authorizedOnly: true, count: Infinity, fault: { kind: 'reset-response', afterBytes: 5 } });
    const err = await rejection(listTags());
    messages.push(err.message);
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-response')).toHaveLength(2);
    expect(NetworkError.is(err, 'CONNECTION_RESET')).toBe(true);
    expect(err.message).toMatch(/^GET https:\/\/127\.0\.0\.1:\d+\/v2\/faults\/listed\/tags\/list: connection closed while reading GET \/v2\/faults\/listed\/tags\/list \(5 bytes in\)/);
  });

  it('a page cut mid-body once is read again and the listing completes', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TAGS_LIST, authorizedOnly: true, fault: { kind: 'reset-response', afterBytes: 5 } });
    expect((await listTags()).sort()).toEqual(TAGS);
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-response'), 'the fault was injected').toHaveLength(1);
  });

  it('gives up after 5 attempts of 503 and reports the status', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TAGS_LIST, count: Infinity, fault: { kind: 'status', status: 503 } });
    const err = await rejection(listTags());
    messages.push(err.message);
    expect(RegistryError.is(err)).toBe(true);
    expect((err as RegistryError).status).toBe(503);
    expect(countSeen(bench.proxy, 'GET', TAGS_LIST)).toBe(5);
  });

  it('bounds retries in time: Retry-After: 3600 is capped and the total stays under maxElapsedMs', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TAGS_LIST, count: Infinity, fault: { kind: 'status', status: 429, retryAfter: '3600' } });
    const started = Date.now();
    const err = await rejection(listTags({ minDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 150, maxElapsedMs: 1000 }));
    const took = Date.now() - started;
    expect((err as RegistryError).status).toBe(429);
    expect(took).toBeLessThan(1500);
    expect(took).toBeGreaterThanOrEqual(4 * 150 - 50);
  });

  it('stops retrying when the next wait would pass maxElapsedMs', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TAGS_LIST, count: Infinity, fault: { kind: 'status', status: 429, retryAfter: '1' } });
    const started = Date.now();
    const err = await rejection(listTags({ maxElapsedMs: 1500 }));
    expect((err as RegistryError).status).toBe(429);
    expect(Date.now() - started).toBeLessThan(2500);
    // 1 s waits in a 1.5 s budget: the first attempt and one retry.
    expect(countSeen(bench.proxy, 'GET', TAGS_LIST)).toBe(2);
  });

  it('an abort ends a stalled listing within 2 s', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TAGS_LIST, count: Infinity, fault: { kind: 'stall' } });
    const ended = await abortAfter(300, (signal) => listTags(FAST_RETRY, signal));
    expect(ended.resolved).toBe(false);
    expect(ended.msAfterAbort).toBeLessThan(2000);
    expect(ended.error?.name).toBe('AbortError');
  });
});

/** The Azure SDK escapes the slash in the repository name. */
const ACR_TAGS = /^\/acr\/v1\/faults(\/|%2F)listed\/_tags/;

describe('list repositories and tags through the RegistryClient backends', () => {
  it('catalog: lists the repository despite a 500 and a reset', async () => {
    bench.proxy.injectOnly(
      { method: 'GET', path: /\/v2\/_catalog/, authorizedOnly: true, fault: { kind: 'status', status: 500 } },
      { method: 'GET', path: /\/v2\/_catalog/, authorizedOnly: true, nth: 2, fault: { kind: 'reset-request' } },
    );
    const names = await collectAll(listRepositories({ transport: bench.transport(), registry: bench.proxy.host }));
    expect(names).toContain(REPO);
    expect(bench.proxy.records.filter((r) => r.fault).map((r) => r.fault)).toEqual(['status', 'reset-request']);
  });

  it('acr backend (/acr/v1 via the Azure SDK pipeline over our transport): lists tags despite 503 and 429', async () => {
    const client = createRegistryClient({ loginServer: bench.proxy.host, backend: 'acr', credentials: staticCredential(bench.rig.admin), transport: bench.transport() });
    bench.proxy.injectOnly(
      { method: 'GET', path: ACR_TAGS, authorizedOnly: true, fault: { kind: 'status', status: 503 } },
      { method: 'GET', path: ACR_TAGS, authorizedOnly: true, nth: 2, fault: { kind: 'status', status: 429, retryAfter: '0' } },
    );
    const page = await client.listTags(REPO);
    expect(page.items.map((t) => t.name).sort()).toEqual(TAGS);
    expect(bench.proxy.records.filter((r) => r.fault).map((r) => r.status)).toEqual([503, 429]);
  });

  it('acr backend: a 403 DENIED is reported, not retried', async () => {
    const client = createRegistryClient({ loginServer: bench.proxy.host, backend: 'acr', credentials: staticCredential(bench.rig.admin), transport: bench.transport() });
    const body = JSON.stringify({ errors: [{ code: 'DENIED', message: 'injected: not allowed' }] });
    bench.proxy.injectOnly({ method: 'GET', path: ACR_TAGS, count: Infinity, authorizedOnly: true, fault: { kind: 'status', status: 403, body } });
    const err = await rejection(client.listTags(REPO));
    messages.push(err.message);
    expect(err.message).toMatch(/403|DENIED|not allowed/);
    expect(countSeen(bench.proxy, 'GET', ACR_TAGS)).toBe(2); // the anonymous challenge, then one refusal
  });

  it('acr backend: a page cut mid-body once is read again and the listing completes', async () => {
    const client = createRegistryClient({ loginServer: bench.proxy.host, backend: 'acr', credentials: staticCredential(bench.rig.admin), transport: bench.transport() });
    bench.proxy.injectOnly({ method: 'GET', path: ACR_TAGS, authorizedOnly: true, fault: { kind: 'reset-response', afterBytes: 40 } });
    const page = await client.listTags(REPO);
    expect(page.items.map((t) => t.name).sort()).toEqual(TAGS);
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-response'), 'the fault was injected').toHaveLength(1);
  });

  it('acr backend: a page cut mid-body on both reads fails with a NetworkError naming the page (one retry, no more)', async () => {
    const client = createRegistryClient({ loginServer: bench.proxy.host, backend: 'acr', credentials: staticCredential(bench.rig.admin), transport: bench.transport() });
    bench.proxy.injectOnly({ method: 'GET', path: ACR_TAGS, authorizedOnly: true, count: Infinity, fault: { kind: 'reset-response', afterBytes: 40 } });
    const err = await rejection(client.listTags(REPO));
    messages.push(err.message);
    expect(NetworkError.is(err, 'CONNECTION_RESET'), err.message).toBe(true);
    expect(err.message).toMatch(/^GET https:\/\/127\.0\.0\.1:\d+\/acr\/v1\/faults%2Flisted\/_tags(\?\S*)?: connection closed while reading the answer to GET \/acr\/v1\/faults%2Flisted\/_tags \(40 bytes in\)$/);
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-response')).toHaveLength(2);
  });
});
