/**
 * Starts the local ACR rig for the extension, seeds demo images and writes what the extension needs into a
 * JSON file (mode 0600): login server, admin user and password, backend, CA file, Entra stand-in. Used by
 * "Run extension on the local rig" (.vscode/tasks.json) and by the real-VS-Code tests (vscode-e2e.sh).
 * Prints "acrkit dev rig ready" when the file is written; stops on SIGINT/SIGTERM.
 * With --arm it also starts the ARM / ACR Tasks stand-in (subscriptions, registries, cloud builds), for the
 * "Custom" cloud sign-in through the Entra stand-in.
 *   npx tsx packages/vscode/scripts/dev-rig.ts [--out FILE] [--app-tags N] [--arm]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRigCa } from '../../../test/rig/ca';
import { startRig } from '../../../test/rig/rig';
import { startArmStandIn, type ArmStandIn } from '../../../test/rig/arm/arm-stand-in';
import type { RigSecretsDump } from '../test/e2e/harness';
import { seedDemo } from '../test/support/seed-images';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const out = resolve(option('--out') ?? resolve(here, '../../../.rig/vscode-dev.json'));

async function main(): Promise<void> {
  // Node trusts NODE_EXTRA_CA_CERTS only from process start: re-run once with it set (seeding uses HTTPS).
  const ca = await ensureRigCa();
  if (process.env.NODE_EXTRA_CA_CERTS !== ca.certFile) {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.certFile } });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }
  const rig = await startRig();
  let arm: ArmStandIn | undefined;
  const stop = async (): Promise<void> => {
    rmSync(out, { force: true });
    rmSync(`${out}.secrets.json`, { force: true });
    await arm?.stop();
    await rig.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const { appTags } = await seedDemo({ loginServer: rig.loginServer, credential: rig.admin }, { appTags: Number(option('--app-tags') ?? 30) });
  if (args.includes('--arm')) {
    // A second directory makes the tenant picker ask (signing in to it fails: the Entra stand-in has one tenant).
    const tenants = [{ tenantId: rig.entra.tenantId, displayName: 'acrkit rig' }, { tenantId: '00000000-aaaa-4bbb-8ccc-0000000000bb', displayName: 'Other directory', defaultDomain: 'other.example' }];
    arm = await startArmStandIn({ rig: { loginServer: rig.loginServer, certDir: rig.certDir, admin: rig.admin }, tenants });
  }
  mkdirSync(dirname(out), { recursive: true });
  const details = {
    loginServer: rig.loginServer,
    auth: 'basic',
    backend: 'acr',
    username: rig.admin.username,
    password: rig.admin.password,
    caFile: rig.caFile,
    appTags,
    pid: process.pid,
    arm: arm && { endpoint: arm.armEndpoint, tenants: arm.tenants, subscriptionId: arm.subscriptionId, resourceGroup: arm.resourceGroup, registryName: arm.registryName, registryId: arm.registryId },
    entra: { authorityHost: rig.entra.authorityHost, tenantId: rig.entra.tenantId, clientId: rig.entra.clientId, clientSecret: rig.entra.clientSecret },
  };
  writeFileSync(out, JSON.stringify(details, null, 2), { mode: 0o600 });
  // Tests send SIGUSR2 to get every secret the rig has handed out so far (tokens grow), to scan their output for.
  // The ARM stand-in's SAS signatures apart: cloud builds upload their context and read their log with them.
  const secrets = (): RigSecretsDump => ({ rig: rig.secrets(), sasSignatures: arm?.azurite.signatures() ?? [] });
  process.on('SIGUSR2', () => writeFileSync(`${out}.secrets.json`, JSON.stringify(secrets()), { mode: 0o600 }));
  process.stdout.write(`acrkit dev rig ready: ${rig.loginServer} (details in ${out}; NODE_EXTRA_CA_CERTS=${rig.caFile})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`dev rig failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
