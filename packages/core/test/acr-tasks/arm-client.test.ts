/**
 * The ARM client and registry discovery: against the ARM stand-in (real HTTPS, real pipeline), and a
 * tiny handler for ARM errors the stand-in has no reason to produce.
 */
import type { TokenCredential } from '@azure/core-auth';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ArmError, createArmClient } from '../../src/acr/tasks/arm-client';
import { findRegistryResource, RegistryNotFoundError } from '../../src/acr/tasks/registry-resource';
import { getBuildSourceUploadUrl } from '../../src/acr/tasks/runs';
import { startArmStandIn, type ArmStandIn } from '../../../../test/rig/arm/arm-stand-in';
import { ensureRigCa, issueServerCert } from '../../../../test/rig/ca';
import { sendJson, startHttpsServer, type RunningServer } from '../../../../test/rig/https-server';

const scopesAsked: string[] = [];
const credential: TokenCredential = {
  async getToken(scopes) {
    scopesAsked.push(...[scopes].flat());
    return { token: 'eyJhbGciOiJub25lIn0.eyJhdWQiOiJhcm0ifQ.c2ln', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

let arm: ArmStandIn;
let errors: RunningServer;
let work: string;

beforeAll(async () => {
  arm = await startArmStandIn({ rig: { loginServer: '127.0.0.1:4999', insecure: true }, baseImage: false });
  work = await mkdtemp(join(tmpdir(), 'acrkit-arm-client-'));
  errors = await startHttpsServer(await issueServerCert(await ensureRigCa(), work), async (req, res) => {
    const code = new URL(req.url!, 'https://x').pathname.split('/').pop();
    sendJson(res, code === 'TasksOperationsNotAllowed' ? 409 : 404, { error: { code, message: `failed with ${code}` } });
  });
}, 60_000);

afterAll(async () => {
  await arm?.stop();
  await errors?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('findRegistryResource', () => {
  test('finds the registry by name across visible subscriptions, asking for an ARM-audience token', async () => {
    const client = createArmClient({ credential, endpoint: arm.armEndpoint });
    const found = await findRegistryResource(client, { registry: arm.registryName.toUpperCase() });
    expect(found).toMatchObject({ subscriptionId: arm.subscriptionId, resourceGroup: arm.resourceGroup, id: arm.registryId, loginServer: '127.0.0.1:4999' });
    expect(scopesAsked).toContain(`${arm.armEndpoint}/.default`);
  });

  test('finds it by login server within a given subscription', async () => {
    const client = createArmClient({ credential, endpoint: arm.armEndpoint });
    const found = await findRegistryResource(client, { registry: '127.0.0.1:4999', subscriptionId: arm.subscriptionId });
    expect(found.name).toBe(arm.registryName);
  });

  test('says what to do when the registry is not visible', async () => {
    const client = createArmClient({ credential, endpoint: arm.armEndpoint });
    await expect(findRegistryResource(client, { registry: 'missing' })).rejects.toSatisfy(
      (e) => RegistryNotFoundError.is(e) && /subscription-id and resource-group/.test((e as Error).message),
    );
  });

  test('skips the search when subscription and resource group are given', async () => {
    const client = createArmClient({ credential, endpoint: arm.armEndpoint });
    const before = arm.requests.length;
    const found = await findRegistryResource(client, { registry: 'r1', subscriptionId: 's', resourceGroup: 'g' });
    expect(found.id).toBe('/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r1');
    expect(arm.requests.length).toBe(before);
  });

  test('calls reach the Tasks operations with the 2019-06-01-preview api-version', async () => {
    const client = createArmClient({ credential, endpoint: arm.armEndpoint });
    const upload = await getBuildSourceUploadUrl(client, arm.registryId);
    expect(upload.relativePath).toMatch(/^source\//);
    expect(arm.requests.at(-1)).toBe(`POST ${arm.registryId}/listBuildSourceUploadUrl`);
  });
});

describe('ArmError', () => {
  test('carries ARM\'s code and message; TasksOperationsNotAllowed gets a hint', async () => {
    const client = createArmClient({ credential, endpoint: errors.url });
    const err = await client.send({ method: 'POST', path: '/x/TasksOperationsNotAllowed?sig=SECRETSIG', apiVersion: '2019-06-01-preview' }).catch((e: unknown) => e);
    expect(ArmError.is(err, 'TasksOperationsNotAllowed')).toBe(true);
    expect((err as ArmError).status).toBe(409);
    expect((err as Error).message).toMatch(/failed with TasksOperationsNotAllowed \(ACR Tasks are not available/);
    expect((err as Error).message).not.toContain('SECRETSIG');
  });

  test('refuses a non-https endpoint up front', () => {
    expect(() => createArmClient({ credential, endpoint: 'http://management.azure.com' })).toThrow(/arm endpoint .*expected an https/);
  });
});
