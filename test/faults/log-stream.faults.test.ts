/**
 * Cloud-build log streaming (`streamRunLog`) under faults: a fault proxy sits between the streamer and
 * a real append blob (Azurite, as the rig's ARM Tasks stand-in uses). Every line arrives exactly once,
 * in order, whatever connection drops, and an abort ends a stalled stream promptly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamRunLog } from '../../packages/core/src/acr/tasks/log-stream';
import { startAzurite, type Azurite } from '../rig/arm/azurite';
import { ensureRigCa, issueServerCert } from '../rig/ca';
import { abortAfter } from './abort-after';
import { startFaultProxy, type FaultProxy, type FaultRule } from './fault-proxy';

let azurite: Azurite;
let proxy: FaultProxy;
let work: string;
let n = 0;
const LINES = Array.from({ length: 400 }, (_, i) => `step ${String(i).padStart(4, '0')}: ${'x'.repeat(i % 37)} é done`);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-log-faults-'));
  azurite = await startAzurite(await issueServerCert(await ensureRigCa(), work), work);
  await azurite.service.getContainerClient('logs').createIfNotExists();
  proxy = await startFaultProxy({ upstream: new URL(azurite.accountUrl).origin, service: 'azurite' });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await azurite?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A finished run's log (written in a few appends, then marked Complete), reached through the proxy. */
async function finishedLog(): Promise<string> {
  const name = `run${++n}/rawtext.log`;
  const blob = azurite.service.getContainerClient('logs').getAppendBlobClient(name);
  await blob.createIfNotExists();
  const text = `${LINES.join('\n')}\n`;
  for (let at = 0; at < text.length; at += 4000) {
    const part = Buffer.from(text.slice(at, at + 4000));
    await blob.appendBlock(part, part.length);
  }
  await blob.setMetadata({ Complete: 'Succeeded' });
  return azurite.sasUrl('logs', name, 'r').replace(new URL(azurite.accountUrl).origin, proxy.url);
}

const quickSleep = (ms: number, signal: AbortSignal) => delay(Math.min(ms, 5), undefined, { signal });
const GET_LOG = /\/logs\/run\d+\/rawtext\.log\?/;

describe('streamRunLog through faults', () => {
  it.each<[string, FaultRule[]]>([
    ['three connections cut mid-range (at odd byte offsets, inside lines)', [
      { method: 'GET', path: GET_LOG, nth: 1, fault: { kind: 'reset-response', afterBytes: 701 } },
      { method: 'GET', path: GET_LOG, nth: 2, fault: { kind: 'reset-response', afterBytes: 1333 } },
      { method: 'GET', path: GET_LOG, nth: 4, fault: { kind: 'reset-response', afterBytes: 2 } },
    ]],
    ['503 on the properties HEAD and 500 on a range GET', [
      { method: 'HEAD', path: GET_LOG, nth: 2, fault: { kind: 'status', status: 503 } },
      { method: 'GET', path: GET_LOG, nth: 2, fault: { kind: 'status', status: 500 } },
    ]],
    ['a connection reset before any byte of a range', [{ method: 'GET', path: GET_LOG, nth: 2, fault: { kind: 'reset-request' } }]],
  ])('delivers every line exactly once, in order, despite %s', async (_name, rules) => {
    const url = await finishedLog();
    proxy.injectOnly(...rules);
    const lines: string[] = [];
    const result = await streamRunLog({ logUrl: url, onLine: (l) => lines.push(l), sleep: quickSleep, maxReadBytes: 3000 });
    expect(result.complete).toBe('Succeeded');
    expect(lines).toEqual(LINES);
    expect(proxy.records.filter((r) => r.fault).length).toBe(rules.length);
  }, 60_000);

  it('an abort ends a stream stalled on a range read within 2 s', async () => {
    const url = await finishedLog();
    proxy.injectOnly({ method: 'GET', path: GET_LOG, count: Infinity, fault: { kind: 'stall' } });
    const ended = await abortAfter(300, (signal) => streamRunLog({ logUrl: url, onLine: () => {}, sleep: quickSleep, signal }));
    expect(ended.resolved).toBe(false);
    expect(ended.msAfterAbort).toBeLessThan(2000);
  });

  it('a log that keeps failing ends in an error naming the log without its SAS signature', async () => {
    const url = await finishedLog();
    proxy.injectOnly({ method: 'HEAD', path: GET_LOG, count: Infinity, fault: { kind: 'status', status: 403, body: '' } });
    const err = await streamRunLog({ logUrl: url, onLine: () => {}, sleep: quickSleep }).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/^reading the run log https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/logs\/run\d+\/rawtext\.log/);
    const sig = new URL(url).searchParams.get('sig')!;
    expect(err!.message).not.toContain(sig);
    expect(err!.message).not.toContain(encodeURIComponent(sig));
  }, 60_000);
});
