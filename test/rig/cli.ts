/**
 * `npm run rig`: starts a local ACR rig for people and prints how to use it; stops on Ctrl-C.
 * Node clients must trust the rig CA: run them with the printed NODE_EXTRA_CA_CERTS.
 * `--json [--options '<RigOptions as JSON>']` prints one JSON line `{"rig": RigInfo}` instead and also stops
 * when stdin closes (used by rig-process.ts, so a rig never outlives the process that asked for it).
 */
import { startRig } from './rig';
import { rigInfo, type Rig, type RigOptions } from './rig-types';

function describe(rig: Rig): string {
  return [
    `acrkit rig is up.`,
    `  login server:   ${rig.loginServer}   (https://${rig.loginServer})`,
    `  admin user:     ${rig.admin.username}`,
    `  admin password: ${rig.admin.password}`,
    `  Entra stand-in: authorityHost=${rig.entra.authorityHost} tenant=${rig.entra.tenantId}`,
    `                  clientId=${rig.entra.clientId} clientSecret=${rig.entra.clientSecret} (Owner)`,
    `                  pull-only clientId=${rig.entra.pullOnly.clientId} clientSecret=${rig.entra.pullOnly.clientSecret}`,
    `                  federated clientId=${rig.entra.federatedClientId} (GitHub OIDC subject repo:acrkit/acrkit:*)`,
    `  GitHub OIDC:    ACTIONS_ID_TOKEN_REQUEST_URL='${rig.oidc.requestUrl}' ACTIONS_ID_TOKEN_REQUEST_TOKEN=${rig.oidc.requestToken}`,
    `  Distribution:   ${rig.distributionUrl} (storage ${rig.storageDir})`,
    ``,
    `Node clients (Azure SDK, acrkit) must trust the rig CA:`,
    `  export NODE_EXTRA_CA_CERTS=${rig.caFile}`,
    `skopeo:`,
    `  skopeo login --cert-dir ${rig.certDir} -u ${rig.admin.username} -p '<admin password>' ${rig.loginServer}`,
    `  skopeo copy --dest-cert-dir ${rig.certDir} --dest-creds ${rig.admin.username}:'<admin password>' oci:DIR:TAG docker://${rig.loginServer}/REPO:TAG`,
    ``,
    `Ctrl-C stops the rig and removes its data.`,
  ].join('\n');
}

function parseOptions(argv: string[]): RigOptions {
  const i = argv.indexOf('--options');
  const options = i >= 0 ? (JSON.parse(argv[i + 1] ?? '{}') as RigOptions) : {};
  if (argv.includes('--anonymous-pull')) options.anonymousPull = true;
  return options;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const rig = await startRig(parseOptions(process.argv));
  process.stdout.write(json ? `${JSON.stringify({ rig: rigInfo(rig) })}\n` : `${describe(rig)}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (!json) process.stdout.write('\nstopping the rig...\n');
    rig.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stopping the rig failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (json) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`rig failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
