/**
 * The ARM/Tasks stand-in's wire behaviour (shapes of the 2019-06-01-preview examples, ARM errors,
 * SAS URLs into Azurite). Building is covered end to end in packages/core/test/acr-tasks.
 */
import { BlockBlobClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startArmStandIn, type ArmStandIn } from './arm-stand-in';

let arm: ArmStandIn;
const TOKEN = 'eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.c2ln';
const API = 'api-version=2019-06-01-preview';

beforeAll(async () => {
  arm = await startArmStandIn({ rig: { loginServer: '127.0.0.1:1', insecure: true }, baseImage: false, queueDelayMs: 60_000 });
}, 60_000);
afterAll(async () => arm?.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ARM JSON of many shapes, asserted field by field
type Json = any;

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${arm.armEndpoint}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const request = (extra: Record<string, unknown> = {}) => ({
  type: 'DockerBuildRequest', imageNames: ['app:v1'], isPushEnabled: true, noCache: false, dockerFilePath: 'Dockerfile',
  arguments: [], platform: { os: 'Linux', architecture: 'amd64' }, sourceLocation: 'source/x.tar.gz', ...extra,
});

describe('ARM stand-in', () => {
  test('refuses requests without a bearer token, in ARM\'s error shape', async () => {
    const res = await call('GET', `/subscriptions?${API}`, undefined, null);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('AuthenticationFailed');
  });

  test('requires api-version', async () => {
    const res = await call('GET', '/subscriptions');
    expect([res.status, res.json.error.code]).toEqual([400, 'MissingApiVersionParameter']);
  });

  test('lists the tenant, the subscription and its registry', async () => {
    const tenants = await call('GET', `/tenants?api-version=2020-01-01`);
    expect(tenants.json.value).toEqual([{ id: `/tenants/${arm.tenants[0]!.tenantId}`, tenantId: arm.tenants[0]!.tenantId, tenantCategory: 'Home', displayName: 'acrkit rig' }]);
    const subs = await call('GET', `/subscriptions?api-version=2020-01-01`);
    expect(subs.json.value).toEqual([expect.objectContaining({ subscriptionId: arm.subscriptionId })]);
    const regs = await call('GET', `/subscriptions/${arm.subscriptionId}/providers/Microsoft.ContainerRegistry/registries?api-version=2019-05-01`);
    expect(regs.json.value[0]).toMatchObject({ id: arm.registryId, name: arm.registryName, properties: { loginServer: '127.0.0.1:1' } });
  });

  test('listBuildSourceUploadUrl gives a writable SAS URL into Azurite', async () => {
    const res = await call('POST', `${arm.registryId}/listBuildSourceUploadUrl?${API}`);
    expect(res.status).toBe(200);
    expect(res.json.relativePath).toMatch(/^source\/\d{12}\/[0-9a-f-]{36}\.tar\.gz$/);
    expect(new URL(res.json.uploadUrl).searchParams.get('sig')).toBeTruthy();
    await new BlockBlobClient(res.json.uploadUrl).upload('context', 7);
    const stored = await arm.azurite.service.getContainerClient('source').getBlobClient(res.json.relativePath).downloadToBuffer();
    expect(stored.toString()).toBe('context');
  });

  test('scheduleRun answers 200 with a Queued run shaped like the spec example; cancel ends it Canceled', async () => {
    const res = await call('POST', `${arm.registryId}/scheduleRun?${API}`, request());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ type: 'Microsoft.ContainerRegistry/registries/runs', properties: { status: 'Queued', provisioningState: 'Succeeded' } });
    const runId = res.json.properties.runId as string;
    expect(res.json.id).toBe(`${arm.registryId}/runs/${runId}`);
    const log = await call('POST', `${arm.registryId}/runs/${runId}/listLogSasUrl?${API}`);
    expect(log.json.logLink).toContain(`/logs/${runId}/rawtext.log?`);
    expect((await call('POST', `${arm.registryId}/runs/${runId}/cancel?${API}`)).status).toBe(200);
    const got = await call('GET', `${arm.registryId}/runs/${runId}?${API}`);
    expect(got.json.properties.status).toBe('Canceled');
    expect(arm.runs.get(runId)!.history).toEqual(['Queued', 'Canceled']);
  });

  test.each([
    [{ type: 'EncodedTaskRunRequest' }, /DockerBuildRequest/],
    [{ dockerFilePath: '' }, /dockerFilePath/],
    [{ timeout: 60 }, /timeout/],
    [{ imageNames: [] }, /image name/],
  ])('scheduleRun refuses %j', async (extra, message) => {
    const res = await call('POST', `${arm.registryId}/scheduleRun?${API}`, request(extra));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(message);
  });

  test('unknown runs and registries are ResourceNotFound', async () => {
    expect((await call('GET', `${arm.registryId}/runs/nope?${API}`)).json.error.code).toBe('ResourceNotFound');
    const other = arm.registryId.replace(arm.registryName, 'other');
    expect((await call('POST', `${other}/scheduleRun?${API}`, request())).status).toBe(404);
  });
});
