/**
 * streamRunLog against a real append blob in Azurite: incremental lines, the end markers, backoff
 * (with an injected sleep that also drives the "agent"), secret masking, and a connection dropped
 * in the middle of a ranged read (through a cutting HTTPS proxy).
 */
import type { AppendBlobClient } from '@azure/storage-blob';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { streamRunLog } from '../../src/acr/tasks/log-stream';
import { ensureRigCa, issueServerCert, type KeyPair } from '../../../../test/rig/ca';
import { startAzurite, type Azurite } from '../../../../test/rig/arm/azurite';
import { startHttpsServer, type RunningServer } from '../../../../test/rig/https-server';

let azurite: Azurite;
let tls: KeyPair;
let work: string;
let n = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-logstream-'));
  tls = await issueServerCert(await ensureRigCa(), work);
  azurite = await startAzurite(tls, work);
  await azurite.service.getContainerClient('logs').createIfNotExists();
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
  await rm(work, { recursive: true, force: true });
});

async function newLog(): Promise<{ blob: AppendBlobClient; url: string; name: string }> {
  const name = `run${++n}/rawtext.log`;
  const blob = azurite.service.getContainerClient('logs').getAppendBlobClient(name);
  return { blob, url: azurite.sasUrl('logs', name, 'r'), name };
}

const append = (blob: AppendBlobClient, text: string) => blob.appendBlock(Buffer.from(text), Buffer.byteLength(text));

describe('streamRunLog', () => {
  test('passes lines on as they arrive, holds partial lines, ends at Complete', async () => {
    const { blob, url } = await newLog();
    const seen: string[][] = [];
    const lines: string[] = [];
    // Each wait of the streamer lets the "agent" do its next step.
    const steps = [
      async () => blob.createIfNotExists(),
      async () => append(blob, 'one\ntw'),
      async () => append(blob, 'o\r\nthr€e\n'),
      async () => append(blob, 'last line without break'),
      async () => blob.setMetadata({ Complete: 'Succeeded' }),
    ];
    const result = await streamRunLog({
      logUrl: url,
      onLine: (l) => lines.push(l),
      sleep: async () => {
        seen.push([...lines]);
        await steps.shift()?.();
      },
    });
    expect(lines).toEqual(['one', 'two', 'thr€e', 'last line without break']);
    expect(seen[2]).toEqual(['one']);
    expect(result.complete).toBe('Succeeded');
    expect(result.bytes).toBe(Buffer.byteLength('one\ntwo\r\nthr€e\nlast line without break'));
  });

  test('backs off 1 s three times, then doubles every three empty polls up to 15 s', async () => {
    const { blob, url } = await newLog();
    await blob.create();
    const waits: number[] = [];
    await streamRunLog({
      logUrl: url,
      onLine: () => undefined,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 14) await blob.setMetadata({ complete: 'Failed' });
      },
    });
    expect(waits).toEqual([1000, 1000, 1000, 2000, 2000, 2000, 4000, 4000, 4000, 8000, 8000, 8000, 15000, 15000]);
  });

  test('masks secret values in every line', async () => {
    const { blob, url } = await newLog();
    await blob.create();
    await append(blob, 'token=hunter2-secret\nplain\nagain hunter2-secret and hunter2-secret\n');
    await blob.setMetadata({ Complete: 'Succeeded' });
    const lines: string[] = [];
    await streamRunLog({ logUrl: url, onLine: (l) => lines.push(l), secrets: ['hunter2-secret'], sleep: async () => undefined });
    expect(lines).toEqual(['token=***', 'plain', 'again *** and ***']);
  });

  test('ends when the run finished and no Complete marker comes (e.g. cancelled before an agent started)', async () => {
    const { url } = await newLog();
    let finish!: () => void;
    const runFinished = new Promise<void>((r) => (finish = r));
    let polls = 0;
    const result = await streamRunLog({
      logUrl: url, onLine: () => undefined, runFinished,
      sleep: async () => {
        if (++polls === 3) finish();
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    expect(result).toEqual({ bytes: 0, complete: undefined });
    expect(polls).toBeLessThan(8);
  });

  test('stops when the signal aborts', async () => {
    const { url } = await newLog();
    const controller = new AbortController();
    const run = streamRunLog({ logUrl: url, onLine: () => undefined, signal: controller.signal, backoff: { baseMs: 20 } });
    setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
    await expect(run).rejects.toThrow('cancelled by test');
  });

  describe('with a connection dropped mid-read', () => {
    let proxy: RunningServer;
    let cut = 0;
    beforeAll(async () => {
      const target = new URL(azurite.accountUrl);
      proxy = await startHttpsServer(tls, async (req, res) => {
        const upstream = httpsRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } });
        req.pipe(upstream);
        upstream.on('response', (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          const ranged = req.method === 'GET' && (req.headers['x-ms-range'] ?? req.headers.range);
          if (ranged && cut === 0) {
            // First ranged read: send 10 bytes of the body, then drop the connection.
            cut++;
            up.once('data', (chunk: Buffer) => {
              res.write(chunk.subarray(0, 10), () => setTimeout(() => res.socket?.destroy(), 20));
            });
          } else up.pipe(res);
        });
      });
    });
    afterAll(async () => proxy?.close());

    test('resumes at the first byte not received: no line lost, none repeated', async () => {
      const { blob, name } = await newLog();
      await blob.create();
      await append(blob, 'alpha-line\nbravo-line\ncharlie-line\n');
      await blob.setMetadata({ Complete: 'Succeeded' });
      const direct = new URL(azurite.sasUrl('logs', name, 'r'));
      const viaProxy = `${proxy.url}${direct.pathname}${direct.search}`;
      const lines: string[] = [];
      await streamRunLog({ logUrl: viaProxy, onLine: (l) => lines.push(l), sleep: async () => undefined });
      expect(cut).toBe(1);
      expect(lines).toEqual(['alpha-line', 'bravo-line', 'charlie-line']);
    });
  });
});
