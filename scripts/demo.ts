/**
 * `npm run demo` (through scripts/demo.sh): starts the local ACR rig and runs the Action's bundles the
 * way the Actions runner does: login with GitHub OIDC (through the OIDC and Entra stand-ins), push of a
 * small generated image, tag (promotion), a cloud build of a small Dockerfile in ACR Tasks (through the
 * ARM/Tasks stand-in, which builds with buildah), then the post step. Prints each step's outputs and
 * the repositories' tags newest first, then stops the rig.
 * Needs NODE_EXTRA_CA_CERTS pointing at the rig CA (demo.sh sets it) to list tags over HTTPS.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryClient } from '../packages/core/src/acr/create-registry-client';
import { staticCredential } from '../packages/core/src/auth/credential';
import { ActionRunner, node24Path, visibleLog, type StepResult } from '../packages/action/test/support/run-action';
import { startArmStandIn } from '../test/rig/arm/arm-stand-in';
import { startRig } from '../test/rig/rig';
import { generateOciLayout } from '../test/support/gen-oci-layout';

const say = (line: string): void => { process.stdout.write(`${line}\n`); };

function show(title: string, step: StepResult): void {
  say(`\n=== ${title}: exit ${step.code}`);
  const log = visibleLog(step.stdout).text.split('\n').filter((l) => l && !l.startsWith('::debug::'));
  for (const line of log) say(`  | ${line}`);
  if (step.stderr.trim()) say(`  stderr: ${step.stderr.trim()}`);
  for (const [name, value] of Object.entries(step.outputs)) say(`  output ${name} = ${value.includes('\n') ? `\n      ${value.split('\n').join('\n      ')}` : value}`);
  if (step.code !== 0) throw new Error(`${title} failed`);
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'acrkit-demo-'));
  const rig = await startRig();
  try {
    say(`rig up: ${rig.loginServer} (Entra stand-in ${rig.entra.authorityHost}, GitHub OIDC stand-in ${rig.oidc.issuer})`);
    const image = await generateOciLayout({ dir: join(work, 'image'), layers: 2, seed: `demo-${Date.now()}`, tag: 'built' });
    say(`generated an OCI layout at ${image.dir} (${image.manifestDigest})`);
    const node = node24Path() ?? process.execPath;
    say(`running dist/main.cjs and dist/post.cjs with ${node === process.execPath ? `Node ${process.version}` : 'Node 24'}`);
    const job = new ActionRunner({
      workDir: join(work, 'job'),
      node,
      event: { repository: { default_branch: 'main', html_url: 'https://github.com/acrkit/acrkit', license: { spdx_id: 'MIT' } } },
      env: {
        NODE_EXTRA_CA_CERTS: rig.caFile,
        GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.0', GITHUB_SHA: '5f3c2a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b', GITHUB_REPOSITORY: 'acrkit/acrkit',
        ACTIONS_ID_TOKEN_REQUEST_URL: rig.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.oidc.requestToken,
      },
    });
    const oidc = { registry: rig.loginServer, 'client-id': rig.entra.federatedClientId, 'tenant-id': rig.entra.tenantId, 'authority-host': rig.entra.authorityHost };
    const login = await job.main(oidc);
    show('login (OIDC, no secrets)', login);
    show('push', await job.main({ ...oidc, command: 'push', image: 'demo/app', source: `oci-layout:${image.dir}:built` }));
    show('tag (promote to stable)', await job.main({ ...oidc, command: 'tag', image: 'demo/app', source: `demo/app:1.2.0`, tags: 'stable\ntype=raw,value=prod-{{date \'YYYYMMDD\'}}' }));

    say('\nstarting the ARM/ACR Tasks stand-in (Azurite, buildah, a busybox base image in the rig)...');
    const arm = await startArmStandIn({ rig: { loginServer: rig.loginServer, certDir: rig.certDir, admin: rig.admin, entra: { authorityHost: rig.entra.authorityHost, tenantId: rig.entra.tenantId } } });
    try {
      const app = join(work, 'job', 'app');
      await mkdir(app, { recursive: true });
      await writeFile(join(app, 'Dockerfile'), `FROM ${arm.baseImage}\nARG GREETING\nRUN echo "$GREETING" > /greeting.txt\nCOPY . /app/\n`);
      await writeFile(join(app, '.dockerignore'), '*.log\n');
      await writeFile(join(app, 'hello.sh'), 'echo hello\n');
      await writeFile(join(app, 'debug.log'), 'not in the image\n');
      show('build (cloud build of ./app in ACR Tasks)', await job.main({
        ...oidc, command: 'build', image: 'demo/built', context: 'app', 'build-args': 'GREETING=hello from acrkit', 'arm-endpoint': arm.armEndpoint,
      }));
    } finally {
      await arm.stop();
    }
    show('post (logout)', await job.post(login));

    const client = createRegistryClient({ loginServer: rig.loginServer, backend: 'acr', credentials: staticCredential(rig.admin) });
    for (const repository of ['demo/app', 'demo/built']) {
      const page = await client.listTags(repository, { order: 'newest' });
      say(`\n=== tags of ${rig.loginServer}/${repository}, newest first`);
      for (const t of page.items) say(`  ${t.name.padEnd(20)} ${t.digest ?? ''} ${t.lastUpdated?.toISOString() ?? ''}`);
    }
  } finally {
    await rig.stop();
    await rm(work, { recursive: true, force: true });
    say('\nrig stopped.');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
