/**
 * `login` with `auth-type: managed-identity`, run from the built bundles against the local ACR rig's
 * managed identity stand-in (App Service protocol: IDENTITY_ENDPOINT + IDENTITY_HEADER, which is what
 * `ManagedIdentityCredential` uses on a self-hosted runner in Azure App Service / Functions / Container
 * Apps). The written Docker config is then used by three independent clients: skopeo and buildah
 * (containers/image, the code podman uses) and the docker CLI itself (`docker manifest inspect` talks to
 * the registry from the CLI, so it needs no daemon). Post removes the credentials; no secret is printed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRig, type Rig } from '../../../test/rig/rig';
import { generateOciLayout } from '../../../test/support/gen-oci-layout';
import { expectNoSecrets } from '../../../test/support/secret-scan';
import { ActionRunner, pushEvent, stepTexts, visibleLog, type StepResult } from './support/run-action';
import { runTool } from './support/run-tool';

const USER_ASSIGNED = '6d1c6a52-0c1e-4a4e-9a55-7a3c2f3d5e01';
const ACR_USER = '00000000-0000-0000-0000-000000000000';
let rig: Rig;
let work: string;
let image: string;

beforeAll(async () => {
  // A user-assigned identity next to the rig's system-assigned one; AcrPull is enough to pull.
  rig = await startRig({ principals: [{ clientId: USER_ASSIGNED, managedIdentity: true, clientSecret: null, roles: ['AcrPull'] }] });
  work = await mkdtemp(join(tmpdir(), 'acrkit-action-msi-'));
  const layout = await generateOciLayout({ dir: join(work, 'layout'), tag: 'v1', seed: 'msi' });
  image = `${rig.loginServer}/msi/demo:v1`;
  const push = await runTool('skopeo', ['copy', '--dest-cert-dir', rig.certDir, '--dest-creds', `${rig.admin.username}:${rig.admin.password}`, `oci:${layout.dir}:v1`, `docker://${image}`]);
  expect(push.code, push.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function runner(name: string): ActionRunner {
  return new ActionRunner({
    workDir: join(work, name),
    env: {
      NODE_EXTRA_CA_CERTS: rig.caFile, ...rig.entra.managedIdentity.env,
      ...pushEvent('refs/heads/main', '0'.repeat(40)),
    },
  });
}


/** The claims of a JWT (the ACR refresh token), without verifying it. */
function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
}

/** Pulls `image` with the Docker config `file` through skopeo, buildah and the docker CLI; returns what failed. */
async function pullWithEveryClient(file: string, home: string): Promise<Record<string, string>> {
  const env = { PATH: process.env.PATH, HOME: home };
  const store = await mkdtemp(join(work, 'buildah-'));
  const failures: Record<string, string> = {};
  try {
    const skopeo = await runTool('skopeo', ['copy', '--authfile', file, '--src-cert-dir', rig.certDir, `docker://${image}`, `oci:${join(store, 'skopeo')}:v1`], { env });
    if (skopeo.code !== 0) failures.skopeo = skopeo.stderr;
    const buildah = await runTool('buildah', [
      '--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs',
      'pull', '--authfile', file, '--cert-dir', rig.certDir, `docker://${image}`,
    ], { env });
    if (buildah.code !== 0) failures.buildah = buildah.stderr;
    // The docker CLI reads $DOCKER_CONFIG/config.json itself; SSL_CERT_FILE makes Go trust the rig's CA.
    const docker = await runTool('docker', ['manifest', 'inspect', image], { env: { ...env, DOCKER_CONFIG: dirname(file), SSL_CERT_FILE: rig.caFile } });
    if (docker.code !== 0 || !docker.stdout.includes('"schemaVersion": 2')) failures.docker = docker.stderr;
  } finally {
    await rm(store, { recursive: true, force: true });
  }
  return failures;
}

/** Runs login then checks the file, the clients and post; returns the ACR refresh token that was written. */
async function loginPullLogout(r: ActionRunner, inputs: Record<string, string>, identity: string): Promise<{ token: string; main: StepResult; post: StepResult }> {
  const main = await r.main({ registry: rig.loginServer, 'auth-type': 'managed-identity', ...inputs });
  expect(main.stderr).toBe('');
  expect(main.code, main.stdout).toBe(0);
  expect(main.stdout).toContain(`Logging in to ${rig.loginServer} as ${identity}`);
  const file = join(r.home, '.docker', 'config.json');
  expect(main.outputs).toEqual({ 'login-server': rig.loginServer, username: ACR_USER, 'docker-config': file });
  const auth = JSON.parse(await readFile(file, 'utf8')).auths[rig.loginServer].auth as string;
  const [user, token] = Buffer.from(auth, 'base64').toString().split(/:(.*)/s) as [string, string];
  expect(user).toBe(ACR_USER);
  expect(visibleLog(main.stdout).masked).toEqual(expect.arrayContaining([token, auth]));

  expect(await pullWithEveryClient(file, r.home)).toEqual({});

  const post = await r.post(main);
  expect(post.code, post.stdout + post.stderr).toBe(0);
  expect(post.stdout).toMatch(/removed the credentials/);
  const after = await readFile(file, 'utf8').catch(() => '{}');
  expect(JSON.parse(after).auths?.[rig.loginServer]).toBeUndefined();
  expectNoSecrets(stepTexts(main, post), [token, auth, ...rig.secrets()]);
  return { token, main, post };
}

describe('login with auth-type managed-identity (bundled, as the runner runs it)', () => {
  test('system-assigned identity: skopeo, buildah and the docker CLI pull with the written file; post removes it', async () => {
    const issued = rig.entra.issued();
    const { token } = await loginPullLogout(runner('system'), {}, 'system-assigned managed identity');
    expect(rig.entra.issued()).toBeGreaterThan(issued);
    expect(claims(token)).toMatchObject({ appid: rig.entra.managedIdentity.clientId, aud: rig.loginServer });
  });

  test('client-id picks the user-assigned identity', async () => {
    const { token } = await loginPullLogout(runner('user'), { 'client-id': USER_ASSIGNED }, `managed identity (client-id ${USER_ASSIGNED})`);
    expect(claims(token)).toMatchObject({ appid: USER_ASSIGNED, roles: ['AcrPull'] });
  });

  test('an unknown client-id fails the step naming the identity, and writes nothing', async () => {
    const r = runner('unknown');
    const unknown = '11111111-2222-3333-4444-555555555555';
    const main = await r.main({ registry: rig.loginServer, 'auth-type': 'managed-identity', 'client-id': unknown });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(new RegExp(`::error::login ${rig.loginServer.replace(/\./g, '\\.')}: .* — Entra ID gave no token to managed identity \\(client-id ${unknown}\\)`));
    await expect(readFile(join(r.home, '.docker', 'config.json'))).rejects.toThrow(/ENOENT/);
    expect(main.state).toEqual({});
    expectNoSecrets(stepTexts(main), rig.secrets());
  });

  test('control: without the written credentials every client is refused (so the checks above can fail)', async () => {
    const dir = await mkdtemp(join(work, 'empty-config-'));
    const file = join(dir, 'config.json');
    await writeFile(file, '{ "auths": {} }\n');
    const failures = await pullWithEveryClient(file, dir);
    expect(Object.keys(failures).sort()).toEqual(['buildah', 'docker', 'skopeo']);
    for (const stderr of Object.values(failures)) expect(stderr).toMatch(/unauthorized|authentication required/i);
  });
});
