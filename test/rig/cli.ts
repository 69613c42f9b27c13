/**
 * `npm run rig`: starts a local ACR rig for people and prints how to use it; stops on Ctrl-C.
 * Node clients must trust the rig CA: run them with the printed NODE_EXTRA_CA_CERTS.
 */
import { startRig } from './rig';

async function main(): Promise<void> {
  const rig = await startRig({ anonymousPull: process.argv.includes('--anonymous-pull') });
  const lines = [
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
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the rig...\n');
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
}

main().catch((err: unknown) => {
  process.stderr.write(`rig failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
