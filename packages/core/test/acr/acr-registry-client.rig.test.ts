/**
 * createRegistryClient against the real rig (Distribution 2.8 behind the ACR stand-in): the admin
 * user, a repository-scoped token and an Entra identity (real @azure/identity against the rig's Entra
 * stand-in) all get the same metadata through the one SDK-based listing code; locks, deletes; one
 * request per page; no secret in any captured log or error.
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../../../../test/rig/rig';
import { basic, pushImage, pushIndex, type PushTarget } from '../../../../test/rig/acr-v1/support/push-image';
import { createEntraCredentials, type EntraCredentials } from '../../src/acr/entra-credential';
import { chooseBackend, createRegistryClient } from '../../src/acr/create-registry-client';
import { staticCredential } from '../../src/auth/credential';
import { createRegistryTransport } from '../../src/auth/registry-transport';
import { Repository } from '../../src/registry/repository';
import { RegistryError } from '../../src/http/registry-error';
import type { Logger } from '../../src/log';
import type { ManifestInfo, RegistryClient, TagInfo } from '../../src/registry/registry-client';
import { UnsupportedOperationError } from '../../src/registry/distribution-registry-client';

const REPO = 'e2e/app';
const TOKEN = { name: 'e2e-token', password: 'e2e-token-password-0123456789' };

let rig: Rig;
let admin: PushTarget;
let entra: EntraCredentials;
const lines: string[] = [];
const logger: Logger = { debug: (m) => void lines.push(m), info: (m) => void lines.push(m), warn: (m) => void lines.push(m), error: (m) => void lines.push(m), group: (_n, fn) => fn() };
const clients: Record<'admin' | 'token' | 'entra', RegistryClient> = {} as never;
const pushed: string[] = [];

async function allTags(client: RegistryClient, pageSize: number): Promise<TagInfo[]> {
  const tags: TagInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTags(REPO, { pageSize, cursor });
    tags.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return tags;
}

beforeAll(async () => {
  rig = await startRig({
    anonymousPull: true,
    repositoryTokens: [{ ...TOKEN, repositories: { [REPO]: ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'] } }],
  });
  admin = { url: rig.url, authorization: basic(rig.admin.username, rig.admin.password) };
  for (const tag of ['v1', 'v2', 'v3', 'v4']) pushed.push((await pushImage(admin, REPO, tag)).digest);
  await pushIndex(admin, REPO, 'multi');
  await pushImage(admin, 'e2e/other', 'x');

  const aad = new ClientSecretCredential(rig.entra.tenantId, rig.entra.clientId, rig.entra.clientSecret, {
    authorityHost: rig.entra.authorityHost,
    disableInstanceDiscovery: true,
  });
  entra = createEntraCredentials(aad, { loginServers: [rig.loginServer], logger });
  const make = (credentials: Parameters<typeof createRegistryClient>[0]['credentials']) =>
    createRegistryClient({ loginServer: rig.loginServer, credentials, backend: 'acr', logger });
  clients.admin = make(staticCredential({ username: rig.admin.username, password: rig.admin.password }));
  clients.token = make(staticCredential({ username: TOKEN.name, password: TOKEN.password }));
  clients.entra = make(entra);
});

afterAll(async () => {
  await rig?.stop();
});

describe('createRegistryClient on the rig', () => {
  it('chooses the backend from the login server', () => {
    expect(chooseBackend('myreg.azurecr.io')).toBe('acr');
    expect(chooseBackend('myreg.azurecr.us', 'auto')).toBe('acr');
    expect(chooseBackend(rig.loginServer)).toBe('distribution');
    expect(chooseBackend(rig.loginServer, 'acr')).toBe('acr');
    expect(clients.admin.backend).toBe('acr');
  });

  it('gives the admin user, a repository-scoped token and Entra the same tags, newest first', async () => {
    const [byAdmin, byToken, byEntra] = await Promise.all([allTags(clients.admin, 2), allTags(clients.token, 3), allTags(clients.entra, 10)]);
    expect(byAdmin.map((t) => t.name)).toEqual(['multi', 'v4', 'v3', 'v2', 'v1']);
    expect(byAdmin[1]).toMatchObject({ name: 'v4', digest: pushed[3], attributes: { writeEnabled: true, deleteEnabled: true } });
    expect(byAdmin[1]!.lastUpdated).toBeInstanceOf(Date);
    expect(byToken).toEqual(byAdmin);
    expect(byEntra).toEqual(byAdmin);
    const oldest = await clients.entra.listTags(REPO, { order: 'oldest' });
    expect(oldest.items.map((t) => t.name)).toEqual(['v1', 'v2', 'v3', 'v4', 'multi']);
  });

  it('serves anonymous pull (no credentials) through the same code, read-only', async () => {
    const anonymous = createRegistryClient({ loginServer: rig.loginServer, credentials: staticCredential(undefined), backend: 'acr', logger });
    expect(await allTags(anonymous, 3)).toEqual(await allTags(clients.admin, 3));
    const refused = await anonymous.setTagAttributes(REPO, 'v2', { writeEnabled: false }).catch((e: unknown) => e);
    expect(RegistryError.is(refused)).toBe(true);
    expect((refused as RegistryError).status).toBe(401);
    expect((await clients.admin.getTag(REPO, 'v2')).attributes?.writeEnabled).toBe(true);
  });

  it('gives all three the same repository and manifest properties', async () => {
    const repos = await Promise.all(Object.values(clients).map((c) => c.getRepository(REPO)));
    expect(repos[0]).toMatchObject({ name: REPO, tagCount: 5, manifestCount: 7 });
    expect(repos[1]).toEqual(repos[0]);
    expect(repos[2]).toEqual(repos[0]);
    const multi = await clients.token.getTag(REPO, 'multi');
    const manifests = await Promise.all(Object.values(clients).map((c) => c.getManifest(REPO, multi.digest!)));
    expect(manifests[0]!.references?.map((r) => r.architecture)).toEqual(['amd64', 'arm64']);
    expect(manifests[0]!.tags).toEqual(['multi']);
    expect(manifests[1]).toEqual(manifests[0]);
    expect(manifests[2]).toEqual(manifests[0]);
    const image = await clients.entra.getManifest(REPO, pushed[0]!);
    expect(image).toMatchObject({ digest: pushed[0], architecture: 'amd64', os: 'linux', tags: ['v1'] });
    expect(image.size).toBeGreaterThan(64);
  });

  it('lists every manifest newest first, untagged ones included, with media types, one /_manifests request per page', async () => {
    await clients.token.listManifests(REPO, { pageSize: 3 }); // warm the token cache
    rig.resetRequests();
    const manifests: ManifestInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await clients.token.listManifests(REPO, { pageSize: 3, cursor });
      manifests.push(...page.items);
      cursor = page.next;
    } while (cursor);
    const paths = rig.requests.map((r) => `${r.method} ${r.path}${r.query}`);
    expect(paths).toHaveLength(3);
    expect(paths[0]).toMatch(/^GET \/acr\/v1\/e2e%2Fapp\/_manifests\?(?=.*orderby=timedesc)(?=.*n=3)/);
    expect(paths.every((p) => /^GET \/acr\/v1\/e2e(%2F|\/)app\/_manifests\?/.test(p))).toBe(true);

    expect(manifests).toHaveLength(7);
    expect(manifests.map((m) => m.tags?.join(',') ?? '')).toEqual(['multi', '', '', 'v4', 'v3', 'v2', 'v1']);
    const untagged = manifests.filter((m) => !m.tags?.length);
    expect(untagged.map((m) => m.architecture).sort()).toEqual(['amd64', 'arm64']);
    expect(manifests[0]!.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(manifests[6]).toMatchObject({ digest: pushed[0], mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    const oldest = await clients.admin.listManifests(REPO, { order: 'oldest', pageSize: 50 });
    expect(oldest.items.map((m) => m.digest)).toEqual(manifests.map((m) => m.digest).reverse());
  });

  it('gives the manifest media type from the one properties request (the SDK model drops it)', async () => {
    await clients.entra.getManifest(REPO, pushed[0]!); // warm the token cache
    rig.resetRequests();
    const image = await clients.entra.getManifest(REPO, pushed[0]!);
    expect(rig.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /acr/v1/e2e%2Fapp/_manifests/${encodeURIComponent(pushed[0]!)}`]);
    expect(image.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const locked = await clients.admin.setManifestAttributes(REPO, pushed[0]!, { writeEnabled: true });
    expect(locked.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  it('lists repositories in pages for identities allowed the catalog, and refuses the token clearly', async () => {
    const first = await clients.entra.listRepositories({ pageSize: 1 });
    expect(first.items).toEqual([{ name: 'e2e/app' }]);
    expect(first.next).toMatch(/^\/acr\/v1\/_catalog\?last=e2e%2Fapp&n=1/);
    const second = await clients.admin.listRepositories({ pageSize: 1, cursor: first.next });
    expect(second.items).toEqual([{ name: 'e2e/other' }]);
    expect(second.next).toBeUndefined();
    const refused = await clients.token.listRepositories().catch((e: unknown) => e);
    expect(RegistryError.is(refused)).toBe(true);
    expect((refused as RegistryError).status).toBe(401);
    await expect(clients.admin.listRepositories({ cursor: 'https://evil.example/acr/v1/_catalog' })).rejects.toThrow(/invalid page cursor/);
  });

  it('sends one /_tags?orderby=timedesc&n=<pageSize> request per page and nothing else', async () => {
    await clients.token.listTags(REPO, { pageSize: 2 }); // warm the token cache
    rig.resetRequests();
    const tags = await allTags(clients.token, 2);
    expect(tags).toHaveLength(5);
    const paths = rig.requests.map((r) => `${r.method} ${r.path}${r.query}`);
    expect(paths).toHaveLength(3);
    expect(paths[0]).toMatch(/^GET \/acr\/v1\/e2e%2Fapp\/_tags\?(?=.*orderby=timedesc)(?=.*n=2)/);
    expect(paths.every((p) => /^GET \/acr\/v1\/e2e(%2F|\/)app\/_tags\?/.test(p))).toBe(true);
  });

  it('locks a tag against overwrite and delete, and unlocks it', async () => {
    const locked = await clients.entra.setTagAttributes(REPO, 'v1', { writeEnabled: false });
    expect(locked.attributes).toMatchObject({ writeEnabled: false, deleteEnabled: true });
    await expect(pushImage(admin, REPO, 'v1')).rejects.toMatchObject({ status: 405 });
    // The core's own push path gets the same refusal as a RegistryError.
    const repository = new Repository({ transport: createRegistryTransport({ credentials: entra }), registry: rig.loginServer, repository: REPO });
    const v2 = await repository.fetchManifest('v2');
    const push = await repository.pushManifest('v1', v2.bytes, v2.descriptor.mediaType).catch((e: unknown) => e);
    expect(RegistryError.is(push, 'REGISTRY_DISALLOWED_OPERATION')).toBe(true);
    expect((push as RegistryError).status).toBe(405);
    lines.push((push as Error).message);
    const refused = await clients.admin.deleteTag(REPO, 'v1').catch((e: unknown) => e);
    lines.push((refused as Error).message);
    expect(RegistryError.is(refused, 'REGISTRY_DISALLOWED_OPERATION')).toBe(true);
    expect((refused as Error).message).toContain(`deleting ${rig.loginServer}/${REPO}:v1`);
    expect((await clients.token.getTag(REPO, 'v1')).digest).toBe(pushed[0]);

    const unlocked = await clients.token.setTagAttributes(REPO, 'v1', { writeEnabled: true });
    expect(unlocked.attributes?.writeEnabled).toBe(true);
    const manifest = await clients.admin.setManifestAttributes(REPO, pushed[1]!, { deleteEnabled: false });
    expect(manifest.attributes?.deleteEnabled).toBe(false);
    await expect(clients.admin.deleteManifest(REPO, pushed[1]!)).rejects.toSatisfy((e) => RegistryError.is(e, 'REGISTRY_DISALLOWED_OPERATION'));
    await clients.admin.setManifestAttributes(REPO, pushed[1]!, { deleteEnabled: true });
  });

  it('deletes a tag, a manifest and the repository', async () => {
    await clients.token.deleteTag(REPO, 'v1');
    await expect(clients.token.getTag(REPO, 'v1')).rejects.toSatisfy((e) => RegistryError.is(e, 'TAG_UNKNOWN'));
    await clients.entra.deleteManifest(REPO, pushed[1]!);
    expect((await allTags(clients.entra, 50)).map((t) => t.name)).toEqual(['multi', 'v4', 'v3']);
    await clients.entra.deleteRepository(REPO);
    await expect(clients.admin.getRepository(REPO)).rejects.toSatisfy((e) => RegistryError.is(e, 'NAME_UNKNOWN'));
    expect((await clients.admin.listRepositories()).items).toEqual([{ name: 'e2e/other' }]);
  });

  it('serves the distribution backend from the same registry: names only, no tag delete', async () => {
    const client = createRegistryClient({
      loginServer: rig.loginServer,
      credentials: staticCredential({ username: rig.admin.username, password: rig.admin.password }),
      backend: 'distribution',
    });
    expect(client.backend).toBe('distribution');
    await pushImage(admin, 'dist/app', 'b');
    const a = await pushImage(admin, 'dist/app', 'a');
    await pushImage(admin, 'dist/app', 'c');
    const page1 = await client.listTags('dist/app', { pageSize: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.next).toBe(page1.items[1]!.name);
    expect(page1.items[0]!.lastUpdated).toBeUndefined();
    const page2 = await client.listTags('dist/app', { pageSize: 2, cursor: page1.next });
    expect(page2.next).toBeUndefined();
    expect([...page1.items, ...page2.items].map((t) => t.name).sort()).toEqual(['a', 'b', 'c']);
    expect((await client.getTag('dist/app', 'a')).digest).toBe(a.digest);
    expect((await client.getManifest('dist/app', a.digest)).size).toBe(a.imageSize);
    expect((await client.listRepositories()).items).toContainEqual({ name: 'dist/app' });
    await expect(client.deleteTag('dist/app', 'a')).rejects.toThrow(/deleting tag "a" is not supported on 127\.0\.0\.1:\d+: the distribution API deletes manifests by digest only/);
    const listing = await client.listManifests('dist/app').catch((e: unknown) => e);
    expect(UnsupportedOperationError.is(listing)).toBe(true);
    expect((listing as Error).message).toMatch(/listing the manifests of "dist\/app" is not supported on 127\.0\.0\.1:\d+: the distribution API lists tags only/);
    await client.deleteManifest('dist/app', a.digest);
    expect((await client.listTags('dist/app')).items.map((t) => t.name).sort()).toEqual(['b', 'c']);
  });

  it('never logs or reports a secret it used', async () => {
    const secrets = [...rig.secrets(), TOKEN.password, await entra.refreshToken(rig.loginServer)];
    expect(lines.length).toBeGreaterThan(0);
    const text = lines.join('\n');
    for (const s of secrets) expect(text).not.toContain(s);
  });
});
