/**
 * Long jobs: GitHub ID tokens live minutes, so the OIDC credential must ask the runner for a fresh one
 * whenever Entra needs a new assertion (Azure/login#180, #372: AADSTS700024). Against the rig's OIDC and
 * Entra stand-ins, with a 2-second ID token lifetime.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startRig, type Rig } from '../../../test/rig/rig';
import { createAzureCredential } from '../src/azure-credential';
import { readInputs } from '../src/inputs';

let rig: Rig;
beforeAll(async () => { rig = await startRig({ oidcTokenLifetimeSeconds: 2, entraTokenLifetimeSeconds: 60 }); });
afterAll(async () => { await rig?.stop(); });

test('each new Entra token is asked for with a fresh GitHub ID token', async () => {
  const inputs = readInputs((name) => ({
    registry: rig.loginServer, 'client-id': rig.entra.federatedClientId, 'tenant-id': rig.entra.tenantId, 'authority-host': rig.entra.authorityHost,
  } as Record<string, string>)[name] ?? '');
  const audiences: string[] = [];
  const credential = createAzureCredential(inputs, {
    async getIdToken(audience) {
      audiences.push(audience);
      const res = await fetch(`${rig.oidc.requestUrl}&audience=${encodeURIComponent(audience)}`, { headers: { authorization: `Bearer ${rig.oidc.requestToken}` } });
      return ((await res.json()) as { value: string }).value;
    },
  });
  const before = rig.oidc.issued();
  const first = await credential.getToken('https://containerregistry.azure.net/.default');
  await sleep(2500); // the first ID token has expired now
  const second = await credential.getToken('https://containerregistry.azure.net/.default');
  expect(first?.token).toBeTruthy();
  expect(second?.token).toBeTruthy();
  expect(second?.token).not.toBe(first?.token);
  // MSAL may ask for an assertion more than once per token; every ask went to the runner for a new one.
  expect(audiences.length).toBeGreaterThanOrEqual(2);
  expect(new Set(audiences)).toEqual(new Set(['api://AzureADTokenExchange']));
  expect(rig.oidc.issued() - before).toBe(audiences.length);
});
