/**
 * End to end: runCloudBuild against the ARM/Tasks stand-in, which really builds with buildah and pushes
 * into a real Distribution registry; skopeo pulls the result independently.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCloudBuild, type CloudBuildOptions } from '../../src/acr/tasks/run-cloud-build';
import { startArmStandIn, type ArmStandIn } from '../../../../test/rig/arm/arm-stand-in';
import { startBuildTarget, type BuildTarget } from '../../../../test/rig/arm/build-target';
import { pullImageFiles } from './image-files';
import { createRegistryTransport } from '../../src/auth/registry-transport';
import { staticCredential } from '../../src/auth/credential';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

const SECRET = 'sup3r-s3cret-Value-9f1c';
let target: BuildTarget;
let arm: ArmStandIn;
let work: string;
const armTokens: string[] = [];

/** Stand-in for a bare registry: any JWT-shaped bearer is accepted there. */
const fakeCredential: TokenCredential = {
  async getToken() {
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ aud: 'arm', n: armTokens.length })).toString('base64url')}.sig`;
    return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};
let inner: TokenCredential = fakeCredential;
/** The login credential (the rig's Entra service principal); its tokens are scanned for in outputs too. */
const credential: TokenCredential = {
  async getToken(scopes, opts) {
    const token = await inner.getToken(scopes, opts);
    if (token) armTokens.push(token.token);
    return token;
  },
};

beforeAll(async () => {
  target = await startBuildTarget();
  if (target.entra) {
    inner = new ClientSecretCredential(target.entra.tenantId, target.entra.clientId, target.entra.clientSecret, {
      authorityHost: target.entra.authorityHost, disableInstanceDiscovery: true,
    });
  }
  // 20 ms per timeout second: ACR's 300 s minimum becomes 6 s for the timeout test.
  arm = await startArmStandIn({ rig: target.rig, msPerTimeoutSecond: 20, queueDelayMs: 400 });
  work = await mkdtemp(join(tmpdir(), 'acrkit-cloud-build-'));
}, 180_000);

afterAll(async () => {
  await arm?.stop();
  await target?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function repo(name: string, files: Record<string, string>): Promise<string> {
  const root = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

function options(context: string, extra: Partial<CloudBuildOptions> = {}): CloudBuildOptions {
  return {
    credential, registry: arm.registryName, armEndpoint: arm.armEndpoint, context, imageNames: [],
    timeoutSeconds: 28_800, pollIntervalMs: 150, logBackoff: { baseMs: 100, maxMs: 400 }, ...extra,
  };
}

// Real builds on two shared cores: generous per-test time.
describe('runCloudBuild against the ARM/Tasks stand-in', { timeout: 240_000 }, () => {
  test('the stand-in accepts only Entra tokens for the ARM audience', async () => {
    expect(target.kind).toBe('rig');
    const status = async (token: string) =>
      (await fetch(`${arm.armEndpoint}/subscriptions?api-version=2020-01-01`, { headers: { authorization: `Bearer ${token}` } })).status;
    const good = (await inner.getToken(`${arm.armEndpoint}/.default`))!.token;
    const otherAudience = (await inner.getToken('https://management.azure.com/.default'))!.token;
    const forged = (await fakeCredential.getToken('x'))!.token;
    expect([await status(good), await status(otherAudience), await status(forged)]).toEqual([200, 401, 401]);
  });

  test('several platforms: one run each, then an index under every tag', async () => {
    const context = await repo('multi', { Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\n', 'hello.txt': 'hi\n' });
    const admin = target.rig.admin;
    const registryTransport = createRegistryTransport({ credentials: staticCredential(admin ? { username: admin.username, password: admin.password } : undefined) });
    const platformsSeen = new Set<string | undefined>();
    const result = await runCloudBuild(
      options(context, { imageNames: ['demo/multi:v1', 'demo/multi:latest'], platforms: ['linux/amd64', 'linux/arm64/v8'], registryTransport }),
      { onLog: (_line, platform) => platformsSeen.add(platform) },
    );
    expect(result.status, result.lastLogLines?.join('\n')).toBe('Succeeded');
    expect(result.runs.map((r) => r.outputImages.map((o) => o.tag))).toEqual([['v1-linux-amd64', 'latest-linux-amd64'], ['v1-linux-arm64-v8', 'latest-linux-arm64-v8']]);
    expect(platformsSeen).toEqual(new Set(['linux/amd64', 'linux/arm64/v8']));
    expect(result.outputImages.map((o) => o.tag)).toEqual(['v1', 'latest']);
    const raw = await exec('skopeo', ['inspect', '--raw', ...target.skopeoFlags.map((f) => f.replace('--src-', '--')), `docker://${target.rig.loginServer}/demo/multi:latest`]);
    const index = JSON.parse(raw.stdout) as { manifests: Array<{ digest: string; platform: { architecture: string; variant?: string } }> };
    expect(index.manifests.map((m) => [m.platform.architecture, m.platform.variant, m.digest])).toEqual([
      ['amd64', undefined, result.runs[0]!.outputImages[0]!.digest],
      ['arm64', 'v8', result.runs[1]!.outputImages[0]!.digest],
    ]);
    expect(result.outputImages[0]!.digest).toMatch(/^sha256:/);
  });

  test('builds a multi-stage Dockerfile with .dockerignore exceptions, streams logs live, masks the secret', async () => {
    const base = arm.baseImage!;
    const context = await repo('app', {
      Dockerfile: [
        `FROM ${base} AS builder`,
        'ARG GREETING=unset',
        'ARG TOKEN',
        'RUN mkdir -p /out && echo "$GREETING" > /out/greeting.txt && echo "token is $TOKEN"',
        'COPY . /src/',
        `FROM ${base}`,
        'COPY --from=builder /out/greeting.txt /app/greeting.txt',
        'COPY --from=builder /src/ /app/src/',
        '',
      ].join('\n'),
      '.dockerignore': '**/*.log\nsecrets\n!secrets/public.pem\nDockerfile\n.dockerignore\n',
      'app.sh': 'echo app\n',
      'notes.log': 'ignored\n',
      'lib/util.sh': 'echo util\n',
      'lib/debug.log': 'ignored\n',
      'secrets/private.key': 'PRIVATE\n',
      'secrets/public.pem': 'PUBLIC\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
    const lines: Array<{ line: string; at: number }> = [];
    const statuses: string[] = [];
    const uploads: Array<{ entries: number; bytesSent: number }> = [];
    let finishedAt = 0;
    const result = await runCloudBuild(
      options(context, { imageNames: ['demo/app:v1', `${target.rig.loginServer}/demo/app:sha-abc1234`], buildArgs: { GREETING: 'hello-acr' }, secretBuildArgs: { TOKEN: SECRET } }),
      {
        onLog: (line) => lines.push({ line, at: Date.now() }),
        onUpload: (u) => uploads.push(u),
        onStatus: (s) => {
          if (statuses.length === 0) expect(uploads.length, 'upload progress comes before the run is scheduled').toBeGreaterThan(0);
          statuses.push(s.status);
          if (['Succeeded', 'Failed'].includes(s.status)) finishedAt = Date.now();
        },
      },
    );
    expect(result.status, result.lastLogLines?.join('\n')).toBe('Succeeded');
    expect(armTokens.length).toBeGreaterThan(0);
    expect(statuses).toEqual(['Queued', 'Running', 'Succeeded']);
    // The packed context: app.sh, lib/, lib/util.sh, secrets/, secrets/public.pem, plus the Dockerfile.
    expect(uploads.at(-1)!.entries).toBeGreaterThanOrEqual(5);
    expect(uploads.at(-1)!.bytesSent).toBeGreaterThan(0);
    expect(uploads.map((u) => u.bytesSent)).toEqual([...uploads.map((u) => u.bytesSent)].sort((a, b) => a - b));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines[0]!.at).toBeLessThan(finishedAt);
    const text = lines.map((l) => l.line).join('\n');
    expect(text).toContain('token is ***');
    for (const captured of [text, JSON.stringify(result)]) {
      expect(captured).not.toContain(SECRET);
      for (const secret of [...armTokens, ...target.secrets]) expect(captured).not.toContain(secret);
      expect(captured).not.toMatch(/sig=/);
    }
    expect(new Set(text.split('\n')).size).toBeGreaterThan(lines.length / 2);

    expect(result.outputImages.map((o) => `${o.repository}:${o.tag}`)).toEqual(['demo/app:v1', 'demo/app:sha-abc1234']);
    const pulled = await pullImageFiles(`${target.rig.loginServer}/demo/app:v1`, { flags: target.skopeoFlags });
    expect(result.outputImages[0]!.digest).toBe(pulled.digest);
    expect(result.outputImages[1]!.digest).toBe(pulled.digest);
    const appFiles = [...pulled.files.keys()].filter((f) => f.startsWith('app/')).sort();
    expect(appFiles).toEqual(['app/greeting.txt', 'app/src/app.sh', 'app/src/lib/util.sh', 'app/src/secrets/public.pem']);
    expect(pulled.files.get('app/greeting.txt')).toBe('hello-acr\n');
  });

  test('a Dockerfile outside the context is built the way az acr build does it', async () => {
    const context = await repo('outside/ctx', { 'hello.txt': 'from the context\n' });
    await writeFile(join(work, 'outside', 'Build.Dockerfile'), `FROM ${arm.baseImage}\nCOPY hello.txt /hello.txt\n`);
    const result = await runCloudBuild(options(context, { imageNames: ['demo/outside:v1'], dockerfile: join(work, 'outside', 'Build.Dockerfile') }));
    expect(result.status, result.lastLogLines?.join('\n')).toBe('Succeeded');
    expect(result.dockerFilePath).toMatch(/^[0-9a-f]{32}_Build\.Dockerfile$/);
    const pulled = await pullImageFiles(`${target.rig.loginServer}/demo/outside:v1`, { flags: target.skopeoFlags });
    expect(pulled.files.get('hello.txt')).toBe('from the context\n');
  });

  test('a failing RUN ends Failed with the last log lines and ACR\'s error message', async () => {
    const context = await repo('fails', { Dockerfile: `FROM ${arm.baseImage}\nRUN echo about-to-fail && exit 1\n` });
    const result = await runCloudBuild(options(context, { imageNames: ['demo/fails:v1'] }));
    expect(result.status).toBe('Failed');
    expect(result.runErrorMessage).toMatch(/exit status/);
    expect(result.lastLogLines?.join('\n')).toContain('about-to-fail');
    expect(result.outputImages).toEqual([]);
  });

  test('a run over its timeout ends Timeout', async () => {
    const context = await repo('slow', { Dockerfile: `FROM ${arm.baseImage}\nRUN sleep 60\n` });
    const result = await runCloudBuild(options(context, { imageNames: ['demo/slow:v1'], timeoutSeconds: 300 }));
    expect(result.status).toBe('Timeout');
    expect(arm.runs.get(result.runId)?.child).toBeUndefined();
  });

  test('aborting cancels the ACR run, stops buildah and the log stream', async () => {
    const context = await repo('cancel', { Dockerfile: `FROM ${arm.baseImage}\nRUN echo started-long-step && sleep 120\n` });
    const controller = new AbortController();
    let pid: number | undefined;
    const lines: string[] = [];
    const result = await runCloudBuild(options(context, { imageNames: ['demo/cancel:v1'] }), {
      signal: controller.signal,
      onLog: (line) => {
        lines.push(line);
        if (line.includes('started-long-step') && !line.includes('RUN')) {
          pid = [...arm.runs.values()].at(-1)?.child?.pid;
          controller.abort(new Error('job cancelled'));
        }
      },
    });
    expect(result.status).toBe('Canceled');
    const run = arm.runs.get(result.runId)!;
    expect(run.history.at(-1)).toBe('Canceled');
    expect(arm.requests).toContain(`POST ${run.registryResourceId}/runs/${run.runId}/cancel`);
    expect(pid).toBeDefined();
    expect(() => process.kill(-pid!, 0)).toThrow();
    const seen = lines.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(lines.length).toBe(seen);
  });
});
