/**
 * `command: build` end to end, as the runner runs it: the built bundles (dist/main.cjs, dist/post.cjs,
 * and the dist/cloud-build.cjs they load) as separate Node processes, against the local ACR rig and the
 * ARM/Tasks stand-in (which really builds with buildah and pushes into the rig's registry). Identities
 * come from the rig's Entra stand-in: GitHub OIDC for the main build, a client secret for the failure.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startArmStandIn, type ArmStandIn } from '../../../test/rig/arm/arm-stand-in';
import type { RunRecord } from '../../../test/rig/arm/run-record';
import { startRig, type Rig } from '../../../test/rig/rig';
import { expectNoSecrets } from '../../../test/support/secret-scan';
import { runSkopeo } from '../../../test/support/skopeo';
import { BuildJob, pullImageFiles, writeTree } from './build-helpers';
import { node24Path, pushEvent, stepTexts, visibleLog } from './support/run-action';

const SECRET = 'bu1ld-s3cret-Value-7e2d';
const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
let rig: Rig;
let arm: ArmStandIn;
let work: string;
let jobs = 0;

beforeAll(async () => {
  rig = await startRig();
  // 20 ms per requested timeout second: ACR's 300 s minimum becomes 6 s for the timeout test.
  arm = await startArmStandIn({
    rig: { loginServer: rig.loginServer, certDir: rig.certDir, admin: rig.admin, entra: { authorityHost: rig.entra.authorityHost, tenantId: rig.entra.tenantId } },
    msPerTimeoutSecond: 20, queueDelayMs: 300,
  });
  work = await mkdtemp(join(tmpdir(), 'acrkit-action-build-'));
}, 180_000);

afterAll(async () => {
  await arm?.stop();
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A job whose workspace holds `files`; GITHUB_* describe a push of tag v1.2.0. */
async function job(files: Record<string, string>, node?: string): Promise<BuildJob> {
  const workDir = join(work, `job-${++jobs}`);
  await writeTree(workDir, files);
  return new BuildJob({
    workDir,
    node,
    event: { repository: { default_branch: 'main', html_url: 'https://github.com/acrkit/acrkit' } },
    env: {
      NODE_EXTRA_CA_CERTS: rig.caFile, ACRKIT_BUILD_POLL_MS: '200',
      ...pushEvent('refs/tags/v1.2.0', SHA),
      ACTIONS_ID_TOKEN_REQUEST_URL: rig.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.oidc.requestToken,
    },
  });
}

const oidc = () => ({
  command: 'build', registry: rig.loginServer, 'client-id': rig.entra.federatedClientId, 'tenant-id': rig.entra.tenantId,
  'authority-host': rig.entra.authorityHost, 'arm-endpoint': arm.armEndpoint, timeout: '8h',
});
const skopeoFlags = () => ['--src-cert-dir', rig.certDir, '--src-creds', `${rig.admin.username}:${rig.admin.password}`];
const lastRun = (): RunRecord => [...arm.runs.values()].at(-1)!;
const groupGone = (pid: number) => { try { process.kill(-pid, 0); return false; } catch { return true; } };

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(100)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

// Real builds with buildah on two shared cores: generous time per test.
describe('command: build from the bundles', { timeout: 240_000 }, () => {
  // The runner's own runtime (action.yml: node24) when installed (scripts/ensure-node24.sh); the other tests use Node 20.
  test(`builds the workspace in ACR Tasks under ${node24Path() ? 'Node 24' : 'this Node'}: live log, rule tags, .dockerignore, masked secret argument, summary`, async () => {
    const base = arm.baseImage!;
    const j = await job({
      'app/Dockerfile': [
        `FROM ${base} AS builder`, 'ARG GREETING=unset', 'ARG TOKEN',
        'RUN mkdir -p /out && echo "$GREETING" > /out/greeting.txt && echo "token is $TOKEN" && echo "::error::not-an-annotation"',
        'COPY . /src/',
        `FROM ${base}`, 'COPY --from=builder /out/greeting.txt /app/greeting.txt', 'COPY --from=builder /src/ /app/src/', '',
      ].join('\n'),
      'app/.dockerignore': '**/*.log\nsecrets\n!secrets/public.pem\nDockerfile\n.dockerignore\n',
      'app/app.sh': 'echo app\n', 'app/notes.log': 'ignored\n', 'app/lib/util.sh': 'echo util\n', 'app/lib/debug.log': 'ignored\n',
      'app/secrets/private.key': 'PRIVATE\n', 'app/secrets/public.pem': 'PUBLIC\n', 'app/.git/HEAD': 'ref: refs/heads/main\n',
    }, node24Path());
    const inputs = { ...oidc(), image: 'demo/built', context: 'app', 'build-args': 'GREETING=hello-acr', 'secret-build-args': `TOKEN=${SECRET}` };
    const main = await j.main(inputs);
    // The agent's first log line is in the job log while the run is still going.
    await main.waitFor(/Queued a build with ID: cb\d+$/m);
    const run = lastRun();
    expect(run.terminal).toBe(false);
    const result = await main.done;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(run.history).toEqual(['Queued', 'Running', 'Succeeded']);

    // Outputs: run id, digest, image, rule tags (semver + sha + latest for a release tag).
    const { text, masked } = visibleLog(result.stdout);
    expect(masked).toContain(SECRET);
    expect(result.outputs['run-id']).toBe(run.runId);
    const digest = result.outputs.digest!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs.image).toBe(`${rig.loginServer}/demo/built@${digest}`);
    const tags = ['1.2.0', '1.2', '1', 'sha-abcdef0', 'latest'];
    expect(result.outputs['tag-names']!.split('\n')).toEqual(tags);
    expect(result.outputs.tags!.split('\n')).toEqual(tags.map((t) => `${rig.loginServer}/demo/built:${t}`));
    expect(run.request.imageNames).toEqual(tags.map((t) => `demo/built:${t}`));
    expect(run.request.arguments).toEqual([
      expect.objectContaining({ name: 'GREETING', value: 'hello-acr', isSecret: false }),
      expect.objectContaining({ name: 'TOKEN', value: SECRET, isSecret: true }),
    ]);

    // The log streamed inside a group, with workflow commands suspended, secret masked.
    const groupAt = text.indexOf('::group::Building');
    expect(groupAt).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('::stop-commands::')).toBeGreaterThan(groupAt);
    // Not anchored: the agent pipes buildah's stdout and stderr into one log, so lines may interleave.
    expect(text, text).toContain('token is ***');
    expect(text.indexOf('token is ***')).toBeLessThan(text.indexOf('::endgroup::'));
    expect(text).toContain(`run ${run.runId}: Running`);
    // A build line that looks like a workflow command is printed inside a stop-commands window.
    const at = text.indexOf('::error::not-an-annotation');
    expect(at).toBeGreaterThan(0);
    const stop = [...text.slice(0, at).matchAll(/^::stop-commands::(.+)$/gm)].at(-1);
    expect(stop).toBeDefined();
    expect(text.slice(stop!.index, at)).not.toContain(`::${stop![1]}::`);

    // The summary: run id, status, duration, images and digests.
    expect(result.summary).toContain(`| \`${run.runId}\` | ✅ Succeeded |`);
    expect(result.summary).toContain(`| ${rig.loginServer}/demo/built | ${tags.map((t) => `\`${t}\``).join(' ')} | \`${digest}\` |`);

    // skopeo pulls every tag: the same image, holding exactly what .dockerignore let in.
    const pulled = await pullImageFiles(`${rig.loginServer}/demo/built:1.2`, skopeoFlags());
    expect(pulled.digest).toBe(digest);
    expect([...pulled.files.keys()].filter((f) => f.startsWith('app/')).sort()).toEqual(['app/greeting.txt', 'app/src/app.sh', 'app/src/lib/util.sh', 'app/src/secrets/public.pem']);
    expect(pulled.files.get('app/greeting.txt')).toBe('hello-acr\n');
    for (const tag of tags) {
      const inspect = await runSkopeo(['inspect', '--cert-dir', rig.certDir, '--creds', `${rig.admin.username}:${rig.admin.password}`, `docker://${rig.loginServer}/demo/built:${tag}`]);
      expect(JSON.parse(inspect.stdout).Digest, tag).toBe(digest);
    }
    const config = await runSkopeo(['inspect', '--config', '--cert-dir', rig.certDir, '--creds', `${rig.admin.username}:${rig.admin.password}`, `docker://${rig.loginServer}/demo/built:1`]);
    expect(config.stdout).not.toContain(SECRET);

    // Post: the build finished, so there is nothing to cancel and nothing to say.
    const post = await (await j.post(inputs, result)).done;
    expect(post.code).toBe(0);
    expect(post.stdout).not.toMatch(/cancel/i);
    expectNoSecrets(stepTexts(result, post), [SECRET, ...rig.secrets()]);
  });

  test('several platforms: one run each, then an index under every tag', async () => {
    const j = await job({ 'ctx/Dockerfile': 'FROM scratch\nCOPY hello.txt /hello.txt\n', 'ctx/hello.txt': 'hi\n' });
    const result = await (await j.main({ ...oidc(), image: 'demo/multi', context: 'ctx', tags: 'type=raw,value=v1', platforms: 'linux/amd64, linux/arm64/v8' })).done;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const runs = [...arm.runs.values()].slice(-2);
    expect(runs.map((r) => r.request.imageNames)).toEqual([['demo/multi:v1-linux-amd64'], ['demo/multi:v1-linux-arm64-v8']]);
    expect(result.outputs['run-id']).toBe(runs.map((r) => r.runId).join(','));
    const raw = await runSkopeo(['inspect', '--raw', '--cert-dir', rig.certDir, '--creds', `${rig.admin.username}:${rig.admin.password}`, `docker://${rig.loginServer}/demo/multi:v1`]);
    const index = JSON.parse(raw.stdout) as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
    expect(index.manifests.map((m) => [m.platform.architecture, m.digest])).toEqual(runs.map((r) => [r.request.platform.architecture, r.outputImages[0]!.digest]));
    expect(result.outputs.digest).toBe(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`);
    expect(visibleLog(result.stdout).text).toMatch(/^\[linux\/arm64\/v8\] .*COPY hello.txt/m);
  });

  test('a failing build fails the step with its last log lines as an error annotation', async () => {
    const j = await job({ 'Dockerfile': `FROM ${arm.baseImage}\nRUN echo about-to-fail && exit 3\n` });
    const inputs = {
      command: 'build', registry: rig.loginServer, image: 'demo/fails', tags: 'type=sha',
      'client-id': rig.entra.clientId, 'tenant-id': rig.entra.tenantId, 'client-secret': rig.entra.clientSecret,
      'authority-host': rig.entra.authorityHost, 'arm-endpoint': arm.armEndpoint, 'subscription-id': arm.subscriptionId,
    };
    const result = await (await (await j.main(inputs)).done);
    const run = lastRun();
    expect(result.code).toBe(1);
    expect(run.status).toBe('Failed');
    const annotation = result.stdout.split('\n').find((l) => l.startsWith(`::error title=ACR build ${run.runId} Failed::`));
    expect(annotation, result.stdout).toBeDefined();
    expect(annotation).toContain('about-to-fail');
    expect(annotation).toContain('exit status');
    expect(result.stdout).toMatch(new RegExp(`^::error::ACR Tasks run ${run.runId} ended Failed`, 'm'));
    expect(result.outputs['run-id']).toBe(run.runId);
    expect(result.summary).toContain(`| \`${run.runId}\` | ❌ Failed |`);
    expectNoSecrets(stepTexts(result), rig.secrets());
  });

  test('a run over its timeout fails the step as Timeout', async () => {
    const j = await job({ 'Dockerfile': `FROM ${arm.baseImage}\nRUN sleep 60\n` });
    const result = await (await j.main({ ...oidc(), image: 'demo/slow', tags: 'type=sha', timeout: '5m' })).done;
    const run = lastRun();
    expect(run.request.timeout).toBe(300);
    expect([result.code, run.status]).toEqual([1, 'Timeout']);
    expect(result.stdout).toMatch(new RegExp(`^::error::ACR Tasks run ${run.runId} ended Timeout`, 'm'));
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('%s from the runner cancels the ACR run and stops buildah', async (sig) => {
    const j = await job({ 'Dockerfile': `FROM ${arm.baseImage}\nRUN echo started-long-step && sleep 120\n` });
    const main = await j.main({ ...oidc(), image: `demo/cancel-${sig.toLowerCase()}`, tags: 'type=sha' });
    await main.waitFor(/^started-long-step\s*$/m);
    const run = lastRun();
    const pid = run.child?.pid;
    expect(pid).toBeDefined();
    main.child.kill(sig);
    const result = await main.done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^::error::cancelled \\(${sig}\\): ACR run ${run.runId} ended Canceled$`, 'm'));
    expect(run.history.at(-1)).toBe('Canceled');
    expect(arm.requests).toContain(`POST ${run.registryResourceId}/runs/${run.runId}/cancel`);
    expect(groupGone(pid!)).toBe(true);
    expect(result.state['build-finished']).toBe('true');
  });

  test('when main is killed outright, post cancels the run it left going', async () => {
    const j = await job({ 'Dockerfile': `FROM ${arm.baseImage}\nRUN echo started-long-step && sleep 120\n` });
    const inputs = { ...oidc(), image: 'demo/killed', tags: 'type=sha' };
    const main = await j.main(inputs);
    await main.waitFor(/^started-long-step\s*$/m);
    const run = lastRun();
    const pid = run.child!.pid!;
    main.child.kill('SIGKILL');
    const result = await main.done;
    expect(result.signal).toBe('SIGKILL');
    expect(run.terminal).toBe(false);
    expect(JSON.parse(result.state['build-run']!)).toMatchObject({ runIds: [run.runId], registryId: run.registryResourceId, armEndpoint: arm.armEndpoint });
    const post = await (await j.post(inputs, result)).done;
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain(`cancelled ACR run ${run.runId}`);
    await until('the run to end Canceled', () => run.status === 'Canceled');
    await until('buildah to stop', () => groupGone(pid));
  });
});
