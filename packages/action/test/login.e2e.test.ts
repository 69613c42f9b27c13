/**
 * `login` then post, run from the built bundles against the local ACR rig, with the GitHub OIDC and
 * Entra ID stand-ins: the credentials written work for skopeo, post removes exactly them, and no
 * secret reaches any captured text.
 */
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRig, type Rig } from '../../../test/rig/rig';
import { expectNoSecrets } from '../../../test/support/secret-scan';
import { runSkopeo } from '../../../test/support/skopeo';
import { ActionRunner, pushEvent, stepTexts, visibleLog } from './support/run-action';

let rig: Rig;
let work: string;
const EXISTING = '{\n  "auths": {\n    "ghcr.io": { "auth": "Z2hvc3Q6c2VjcmV0LWdocg==" }\n  },\n  "psFormat": "table {{.ID}}"\n}\n';

beforeAll(async () => {
  rig = await startRig();
  work = await mkdtemp(join(tmpdir(), 'acrkit-action-login-'));
});
afterAll(async () => {
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function runner(name: string): ActionRunner {
  return new ActionRunner({
    workDir: join(work, name),
    event: { repository: { default_branch: 'main' } },
    env: {
      NODE_EXTRA_CA_CERTS: rig.caFile,
      ...pushEvent('refs/heads/main', '0'.repeat(40)),
      ACTIONS_ID_TOKEN_REQUEST_URL: rig.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.oidc.requestToken,
    },
  });
}


describe('login (bundled, as the runner runs it)', () => {
  test('OIDC login merges into ~/.docker/config.json; skopeo uses it; post removes only our entry, byte for byte', async () => {
    const r = runner('oidc');
    await mkdir(join(r.home, '.docker'), { recursive: true });
    const file = join(r.home, '.docker', 'config.json');
    await writeFile(file, EXISTING, { mode: 0o644 });
    const issuedBefore = rig.oidc.issued();

    const main = await r.main({
      registry: rig.loginServer, 'client-id': rig.entra.federatedClientId, 'tenant-id': rig.entra.tenantId,
      'authority-host': rig.entra.authorityHost,
    });
    expect(main.stderr).toBe('');
    expect(main.code, main.stdout).toBe(0);
    expect(rig.oidc.issued()).toBeGreaterThan(issuedBefore);
    expect(main.outputs).toEqual({ 'login-server': rig.loginServer, username: '00000000-0000-0000-0000-000000000000', 'docker-config': file });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(file, 'utf8'));
    expect(config.auths['ghcr.io']).toEqual({ auth: 'Z2hvc3Q6c2VjcmV0LWdocg==' });
    const [user, token] = Buffer.from(config.auths[rig.loginServer].auth, 'base64').toString().split(/:(.*)/s);
    expect(user).toBe('00000000-0000-0000-0000-000000000000');

    const inspect = await runSkopeo(['list-tags', '--authfile', file, '--cert-dir', rig.certDir, `docker://${rig.loginServer}/nothing-here`]);
    // Authenticated: the registry says the repository is unknown, not that we are unauthorized.
    expect(inspect.stderr).not.toMatch(/unauthorized|authentication required/i);
    expect(inspect.stderr).toMatch(/404 \(Not Found\)/);

    // A later step of the job logs in elsewhere: post must keep that and remove only ours.
    const other = '"auths": {\n    "quay.io": { "auth": "cXVheTpx" },';
    await writeFile(file, (await readFile(file, 'utf8')).replace('"auths": {', other));
    const post = await r.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/removed the credentials/);
    expect(await readFile(file, 'utf8')).toBe(EXISTING.replace('"auths": {', other));
    expectNoSecrets(stepTexts(main, post), [token as string, rig.oidc.requestToken]);
    // The refresh token and the Docker auth value were masked at once (the runner hides them from then on).
    expect(visibleLog(main.stdout).masked).toEqual(expect.arrayContaining([token, config.auths[rig.loginServer].auth]));
  });

  test('password login to a new DOCKER_CONFIG under RUNNER_TEMP; post removes the directory; logout: false keeps it', async () => {
    const r = runner('password');
    const inputs = { registry: rig.loginServer, username: rig.admin.username, password: rig.admin.password, 'docker-config': 'new' };
    const main = await r.main(inputs);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    expect(main.env.DOCKER_CONFIG).toMatch(new RegExp(`^${r.runnerTemp}/acrkit-docker-`));
    expect(main.outputs['docker-config']).toBe(join(main.env.DOCKER_CONFIG as string, 'config.json'));
    const post = await r.post(main);
    expect(post.code).toBe(0);
    await expect(stat(main.env.DOCKER_CONFIG as string)).rejects.toThrow(/ENOENT/);

    const keep = await r.main({ ...inputs, logout: 'false' });
    const postKeep = await r.post(keep);
    expect(postKeep.stdout).toMatch(/keeping the credentials/);
    const kept = JSON.parse(await readFile(keep.outputs['docker-config'] as string, 'utf8'));
    expect(Object.keys(kept.auths)).toEqual([rig.loginServer]);
    expectNoSecrets(stepTexts(main, post, keep, postKeep), [{ username: rig.admin.username, password: rig.admin.password }]);
    expect(visibleLog(main.stdout).masked).toContain(rig.admin.password);
  });

  test('auth-type default picks up an Azure login done earlier in the job (environment credential)', async () => {
    const r = runner('default');
    const main = await r.main({ registry: rig.loginServer, 'auth-type': 'default', 'authority-host': rig.entra.authorityHost }, {
      env: { AZURE_CLIENT_ID: rig.entra.clientId, AZURE_TENANT_ID: rig.entra.tenantId, AZURE_CLIENT_SECRET: rig.entra.clientSecret },
    });
    expect(main.code, main.stdout + main.stderr).toBe(0);
    expect(main.outputs.username).toBe('00000000-0000-0000-0000-000000000000');
    expect(main.stdout).toContain('as the Azure default credential chain');
    expectNoSecrets(stepTexts(main), [rig.entra.clientSecret]);
  });

  test('wrong password fails the step naming the registry and the identity, and writes nothing', async () => {
    const r = runner('bad');
    const main = await r.main({ registry: rig.loginServer, username: rig.admin.username, password: 'not-the-password' });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(new RegExp(`::error::login ${rig.loginServer.replace(/\./g, '\\.')}: .*refused the credentials of user "${rig.admin.username}"`));
    await expect(stat(join(r.home, '.docker', 'config.json'))).rejects.toThrow(/ENOENT/);
    expect(main.state).toEqual({});
    expectNoSecrets(stepTexts(main), ['not-the-password']);
  });

  test('bad inputs fail before any network call, naming the input and accepted values', async () => {
    const r = runner('inputs');
    rig.resetRequests();
    const cases: [Record<string, string>, RegExp][] = [
      [{ registry: rig.loginServer, 'auth-type': 'magic' }, /input "auth-type": "magic" is not accepted: expected auto, oidc, client-secret, managed-identity, default, password/],
      [{ registry: rig.loginServer, command: 'deploy' }, /input "command": "deploy" is not accepted: expected login, push, tag, meta, build/],
      [{ registry: rig.loginServer, 'client-id': 'x' }, /input "tenant-id": is empty: auth-type oidc needs client-id and tenant-id/],
      [{ registry: rig.loginServer, logout: 'maybe' }, /input "logout": "maybe" is not accepted: expected true, false/],
      [{ registry: rig.loginServer, environment: 'Mars' }, /input "environment": "Mars" is not accepted: expected AzureCloud, AzureChinaCloud, AzureUSGovernment/],
      [{ registry: '' }, /input "registry": is empty: required for command: login/],
      [{ registry: rig.loginServer, tags: 'type=semver' }, /input "tags": tags line 1: pattern= is required/],
    ];
    for (const [inputs, message] of cases) {
      const main = await r.main(inputs);
      expect(main.code).toBe(1);
      expect(main.stdout).toMatch(message);
    }
    expect(rig.requests).toEqual([]);
  });
});
