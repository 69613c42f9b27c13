/**
 * The Action's bundle (dist/main.cjs, run as the runner runs it) logging in and pushing through the
 * fault proxy: transient faults are absorbed, a persistent one fails the step with a clear annotation
 * and no tag, and SIGTERM ends a push stalled on the network promptly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistJob, visibleLog, type Interrupt } from './run-dist';
import { generateOciLayout, type OciLayoutResult } from '../support/gen-oci-layout';
import { expectNoSecrets } from '../support/secret-scan';
import { expectCompleteImage, startFaultBench, tagsOnRig, type FaultBench } from './fault-bench';
import type { FaultRule } from './fault-proxy';

let bench: FaultBench;
let work: string;
let n = 0;

beforeAll(async () => {
  bench = await startFaultBench();
  work = await mkdtemp(join(tmpdir(), 'acrkit-action-faults-'));
}, 120_000);

afterAll(async () => {
  await bench?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function runPush(rules: FaultRule[], interrupt?: Interrupt) {
  const i = ++n;
  const layout: OciLayoutResult = await generateOciLayout({ dir: join(work, `layout-${i}`), layers: 2, seed: `action-faults-${i}-${Date.now()}`, tag: 'built' });
  const runner = new DistJob(join(work, `job-${i}`), {
    NODE_EXTRA_CA_CERTS: bench.rig.caFile, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'f'.repeat(40), GITHUB_REPOSITORY: 'acrkit/acrkit',
  });
  const auth = { registry: bench.proxy.host, 'auth-type': 'password', username: bench.rig.admin.username, password: bench.rig.admin.password };
  bench.proxy.reset();
  const login = await runner.main(auth);
  expect(login.code, login.stdout + login.stderr).toBe(0);
  bench.proxy.inject(...rules);
  const image = `action/app-${i}`;
  const started = Date.now();
  const push = await runner.main({ ...auth, command: 'push', image, source: `oci-layout:${layout.dir}:built`, tags: 'type=raw,value=v1', latest: 'false' }, interrupt);
  const took = Date.now() - started;
  const post = await runner.post(login);
  const texts = [login, push, post].flatMap((s) => [visibleLog(s.stdout).text, s.stderr, JSON.stringify(s.outputs), s.summary]);
  expectNoSecrets(texts, [bench.rig.admin.password, { username: bench.rig.admin.username, password: bench.rig.admin.password }]);
  return { layout, image, push, took };
}

describe('the Action under faults', () => {
  it('push completes despite 503s on upload POSTs, a reset blob PUT and an expired token', async () => {
    const { layout, image, push } = await runPush([
      { method: 'POST', path: /\/blobs\/uploads\/$/, count: 2, fault: { kind: 'status', status: 503 } },
      { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'reset-request', afterBytes: 500 } },
      { method: 'PUT', path: /\/manifests\/v1$/, fault: { kind: 'expire-token' } },
    ]);
    expect(push.code, push.stdout.split('\n').filter((l) => !l.startsWith('::debug')).join('\n') + push.stderr).toBe(0);
    expect(push.outputs.digest).toBe(layout.manifestDigest);
    expect(bench.proxy.records.filter((r) => r.fault).map((r) => r.fault)).toEqual(['status', 'status', 'reset-request', 'expire-token']);
    await expectCompleteImage(bench.direct(image), 'v1', layout.manifestDigest);
  });

  it('a persistent 503 on the manifest PUT fails the step with an ::error:: naming the request, and no tag', async () => {
    const { image, push } = await runPush([{ method: 'PUT', path: /\/manifests\//, count: Infinity, fault: { kind: 'status', status: 503 } }]);
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/::error::.*PUT https:\/\/127\.0\.0\.1:\d+\/v2\/action\/app-\d+\/manifests\/\S+: 503/);
    expect(await tagsOnRig(bench.direct(image))).toEqual([]);
  });

  it('SIGTERM ends a push stalled on a blob upload promptly (the stall alone would never end), and no tag appears', async () => {
    const { image, push, took } = await runPush(
      [{ method: 'PUT', path: /\/blobs\/uploads\//, count: Infinity, fault: { kind: 'stall' } }],
      { on: /POST https:\/\/\S+\/blobs\/uploads\/ -> 202/, signal: 'SIGTERM', afterMs: 300 },
    );
    expect(push.code === 0).toBe(false);
    expect(push.exitAfterSignalMs).toBeDefined();
    expect(push.exitAfterSignalMs!).toBeLessThan(2000);
    expect(took).toBeLessThan(10_000);
    expect(bench.proxy.records.some((r) => r.fault === 'stall'), 'the upload had stalled').toBe(true);
    expect(await tagsOnRig(bench.direct(image))).toEqual([]);
  });
});
