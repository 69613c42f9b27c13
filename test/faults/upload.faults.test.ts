/**
 * Cloud-build context upload (`uploadBuildSource`: storage-blob's uploadStream, Put Block × n then
 * one Put Block List) under faults: the fault proxy sits between the uploader and a real block blob
 * (Azurite, as the rig's ARM Tasks stand-in uses). After every success the blob is read back from
 * Azurite directly and must be byte-identical (sha256) to what was sent; after every failure no
 * committed blob holds partial content.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AzureLogger, setLogLevel } from '@azure/logger';
import type { BlockBlobClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceUploadError, uploadBuildSource, type UploadOptions } from '../../packages/core/src/acr/tasks/upload-source';
import { startAzurite, type Azurite } from '../rig/arm/azurite';
import { ensureRigCa, issueServerCert } from '../rig/ca';
import { abortAfter } from './abort-after';
import { startFaultProxy, type FaultProxy, type FaultRule } from './fault-proxy';
import { countSeen } from './fault-bench';

let azurite: Azurite;
let proxy: FaultProxy;
let work: string;
let n = 0;
/** What the storage SDK logged (its @azure/logger output), scanned for the SAS. */
const sdkLog: string[] = [];
const CONTEXT = randomBytes(3 * 1024 * 1024 + 12_345); // random: a gzip'd context does not compress further
const BLOCK = 256 * 1024; // 13 blocks
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-upload-faults-'));
  azurite = await startAzurite(await issueServerCert(await ensureRigCa(), work), work);
  await azurite.service.getContainerClient('source').createIfNotExists();
  proxy = await startFaultProxy({ upstream: new URL(azurite.accountUrl).origin, service: 'azurite' });
  setLogLevel('info');
  AzureLogger.log = (...args: unknown[]) => void sdkLog.push(args.map(String).join(' '));
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await azurite?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const PUT_BLOCK = /\/source\/ctx\d+\.tar\.gz\?.*comp=block(&|$)/;
const PUT_BLOCK_LIST = /\/source\/ctx\d+\.tar\.gz\?.*comp=blocklist/;

/** A fresh blob name, its SAS URL through the proxy, and its client on Azurite directly. */
function target(): { name: string; url: string; direct: BlockBlobClient } {
  const name = `ctx${++n}.tar.gz`;
  const url = azurite.sasUrl('source', name, 'rcw').replace(new URL(azurite.accountUrl).origin, proxy.url);
  return { name, url, direct: azurite.service.getContainerClient('source').getBlockBlobClient(name) };
}

/** The context as a stream of 64 KiB chunks. */
const contextStream = (bytes = CONTEXT) => Readable.from(Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536)));

const upload = (url: string, options: UploadOptions = {}) =>
  uploadBuildSource(url, contextStream(), { blockSize: BLOCK, concurrency: 4, ...options });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err, 'expected the upload to fail').toBeInstanceOf(Error);
  return err as Error;
}

describe('uploadBuildSource through faults', () => {
  it.each<[string, FaultRule[], UploadOptions?]>([
    ['a connection reset mid-body on a Put Block (Azurite saw part of it)', [
      { method: 'PUT', path: PUT_BLOCK, nth: 3, fault: { kind: 'reset-request', afterBytes: 100_000, forward: true } },
    ]],
    ['503 on a Put Block once and 500 twice on another', [
      { method: 'PUT', path: PUT_BLOCK, nth: 2, fault: { kind: 'status', status: 503 } },
      { method: 'PUT', path: PUT_BLOCK, nth: 6, count: 2, fault: { kind: 'status', status: 500 } },
    ]],
    ['503 on the Put Block List', [{ method: 'PUT', path: PUT_BLOCK_LIST, fault: { kind: 'status', status: 503 } }]],
    ['a lost answer to the Put Block List (it took effect; the commit is sent again)', [
      { method: 'PUT', path: PUT_BLOCK_LIST, fault: { kind: 'status', status: 500, forward: true } },
    ]],
    ['429 with Retry-After: 0 on two Put Blocks', [{ method: 'PUT', path: PUT_BLOCK, nth: 4, count: 2, fault: { kind: 'status', status: 429, retryAfter: '0' } }]],
    ['a Put Block that never answers (abandoned after tryTimeoutMs, then sent again)', [
      { method: 'PUT', path: PUT_BLOCK, nth: 5, fault: { kind: 'stall' } },
    ], { retry: { tryTimeoutMs: 700 } }],
  ])('stores the context byte for byte despite %s', async (_name, rules, options) => {
    const t = target();
    proxy.injectOnly(...rules);
    const progress: number[] = [];
    const sent = await upload(t.url, { ...options, onProgress: (b) => progress.push(b) });
    expect(sent).toBe(CONTEXT.length);
    expect(progress.at(-1)).toBe(CONTEXT.length);
    expect(proxy.records.filter((r) => r.fault).length, 'every fault was injected').toBe(rules.reduce((k, r) => k + (r.count ?? 1), 0));
    const stored = await t.direct.downloadToBuffer();
    expect(sha(stored)).toBe(sha(CONTEXT));
    expect((await t.direct.getBlockList('committed')).committedBlocks).toHaveLength(Math.ceil(CONTEXT.length / BLOCK));
  }, 60_000);

  it('honours Retry-After: 1 on a Put Block (waits at least 1 s, then completes)', async () => {
    const t = target();
    proxy.injectOnly({ method: 'PUT', path: PUT_BLOCK, nth: 1, fault: { kind: 'status', status: 429, retryAfter: '1' } });
    const started = Date.now();
    await upload(t.url, { concurrency: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sha(await t.direct.downloadToBuffer())).toBe(sha(CONTEXT));
  }, 60_000);

  it('bounds retries of a Put Block that keeps answering 503: 5 tries in about 2.2 s, then SourceUploadError, no blob', async () => {
    const t = target();
    proxy.injectOnly({ method: 'PUT', path: PUT_BLOCK, count: Infinity, fault: { kind: 'status', status: 503 } });
    const started = Date.now();
    const err = await rejection(upload(t.url, { concurrency: 1 }));
    const took = Date.now() - started;
    expect(SourceUploadError.is(err), err.message).toBe(true);
    expect(err.message).toMatch(/503|Service Unavailable|injected/i);
    expect(countSeen(proxy, 'PUT', PUT_BLOCK), err.message).toBe(5);
    expect(took).toBeGreaterThanOrEqual(2200 - 50); // waits of 0, 200, 600, 1400 ms
    expect(took).toBeLessThan(8000);
    expect(await t.direct.exists()).toBe(false);
  }, 60_000);

  it('bounds 429 on every Put Block: 5 sends (Retry-After: 0), then SourceUploadError, no blob', async () => {
    const t = target();
    proxy.injectOnly({ method: 'PUT', path: PUT_BLOCK, count: Infinity, fault: { kind: 'status', status: 429, retryAfter: '0' } });
    const err = await rejection(upload(t.url, { concurrency: 1 }));
    expect(SourceUploadError.is(err), err.message).toBe(true);
    expect(countSeen(proxy, 'PUT', PUT_BLOCK)).toBe(5);
    expect(await t.direct.exists()).toBe(false);
  }, 60_000);

  it('a Put Block List that keeps failing commits nothing; a blob committed earlier under the name stays whole', async () => {
    const t = target();
    const earlier = randomBytes(300_000);
    proxy.injectOnly();
    await uploadBuildSource(t.url, contextStream(earlier), { blockSize: BLOCK });
    proxy.injectOnly({ method: 'PUT', path: PUT_BLOCK_LIST, count: Infinity, fault: { kind: 'status', status: 503 } });
    const err = await rejection(upload(t.url));
    expect(SourceUploadError.is(err), err.message).toBe(true);
    expect(countSeen(proxy, 'PUT', PUT_BLOCK_LIST), err.message).toBe(5);
    // Put Block only stages; without a commit the blob is the earlier one, byte for byte.
    expect(sha(await t.direct.downloadToBuffer())).toBe(sha(earlier));
    const fresh = target();
    await rejection(upload(fresh.url));
    expect(await fresh.direct.exists()).toBe(false);
  }, 60_000);

  it('an abort ends an upload stalled on Put Blocks within 2 s, committing nothing', async () => {
    const t = target();
    proxy.injectOnly({ method: 'PUT', path: PUT_BLOCK, nth: 3, count: Infinity, fault: { kind: 'stall' } });
    const ended = await abortAfter(500, (signal) => upload(t.url, { signal }));
    expect(ended.resolved).toBe(false);
    expect(ended.msAfterAbort).toBeLessThan(2000);
    expect(ended.error?.name).toBe('AbortError');
    expect(await t.direct.exists()).toBe(false);
  }, 60_000);

  it('a 403 that keeps failing is one try per block: SourceUploadError naming the blob without its SAS, nothing logged with it', async () => {
    const t = target();
    const xml = '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationFailure</Code><Message>This request is not authorized to perform this operation.</Message></Error>';
    proxy.injectOnly({ method: 'PUT', path: PUT_BLOCK, count: Infinity, fault: { kind: 'status', status: 403, body: xml } });
    sdkLog.length = 0;
    const err = await rejection(upload(t.url, { concurrency: 1 }));
    expect(SourceUploadError.is(err), err.message).toBe(true);
    expect(err.message).toMatch(/^uploading the build context to https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/source\/ctx\d+\.tar\.gz: /);
    expect(err.message).toMatch(/not authorized|AuthorizationFailure|403/);
    expect(countSeen(proxy, 'PUT', PUT_BLOCK)).toBe(1);
    expect(await t.direct.exists()).toBe(false);
    const query = new URL(t.url).search.slice(1);
    const sig = new URL(t.url).searchParams.get('sig')!;
    expect(sdkLog.length, 'the SDK logged the attempt').toBeGreaterThan(0);
    for (const text of [err.message, String(err.stack), ...sdkLog]) {
      for (const secret of [sig, encodeURIComponent(sig), query]) expect(text).not.toContain(secret);
    }
  }, 60_000);
});
