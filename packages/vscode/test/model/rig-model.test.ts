/**
 * The model against the real rig (Distribution behind the ACR stand-in), through the core's real client:
 * request counts for a 1,000-tag repository, newest first, paging, errors, locks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '@acrkit/core/acr/create-registry-client';
import { staticCredential } from '@acrkit/core/auth/credential';
import type { RegistryClient } from '@acrkit/core/registry/registry-client';
import { startRig, type Rig } from '../../../../test/rig/rig';
import { ExplorerModel, type ExplorerModelOptions } from '../../src/model/explorer-model';
import type { ModelNode, RegistryNodeData, RepositoryNodeData, TagNodeData } from '../../src/model/nodes';
import type { RegistryEntry } from '../../src/model/registry-entry';
import { DEFAULT_SETTINGS } from '../../src/model/settings';
import { pushImage, seedRepository, tagManifest, type PushedImage } from '../support/seed-images';

const TAGS = 1000;
let rig: Rig;
let entry: RegistryEntry;
let untagged: PushedImage;

function modelWith(client: RegistryClient, pageSize = 100, extra: Partial<ExplorerModelOptions> & { showUntagged?: boolean } = {}): ExplorerModel {
  return new ExplorerModel({
    sources: [{ name: 'rig', listRegistries: async () => [entry] }],
    clientFor: () => client,
    settings: () => ({ ...DEFAULT_SETTINGS, pageSize, showUntagged: extra.showUntagged ?? false }),
    ...extra,
  });
}

async function child(model: ExplorerModel, parent: ModelNode | undefined, label: string): Promise<ModelNode> {
  const children = await model.getChildren(parent);
  const found = children.find((n) => (n.kind === 'registry' ? n.registry.loginServer : n.kind === 'repository' ? n.repository.name : n.kind === 'tag' ? n.tag.name : '') === label);
  if (!found) throw new Error(`no ${label} among ${JSON.stringify(children.map((c) => c.id))}`);
  return found;
}

beforeAll(async () => {
  rig = await startRig();
  entry = { id: `manual:${rig.loginServer}`, loginServer: rig.loginServer, source: 'manual', auth: 'basic', username: rig.admin.username, backend: 'acr' };
  const target = { loginServer: rig.loginServer, credential: rig.admin };
  const big = seedRepository(target, 'big');
  const image = await pushImage(big, ['first']);
  const names = Array.from({ length: TAGS - 1 }, (_, i) => `t${String(i + 1).padStart(4, '0')}`);
  // Concurrent PUTs for speed; the last tag goes alone afterwards so it is certainly the newest.
  await tagManifest(big, image, names.slice(0, -1), 6);
  await new Promise((r) => setTimeout(r, 20));
  await tagManifest(big, image, names.slice(-1));
  await pushImage(seedRepository(target, 'small'), ['a', 'b']);
  const loose = seedRepository(target, 'loose');
  untagged = await pushImage(loose, [], { seed: 'loose-old' });
  await pushImage(loose, ['x'], { seed: 'loose-new' });
}, 300_000);

afterAll(async () => {
  await rig?.stop();
});

describe('the explorer model on the rig', () => {
  it('expands a 1,000-tag repository with ONE page request plus cached token requests, newest first', async () => {
    const client = createRegistryClient({ loginServer: rig.loginServer, credentials: staticCredential(rig.admin), backend: 'acr' });
    const model = modelWith(client);
    const registry = await child(model, undefined, rig.loginServer);
    const big = await child(model, registry, 'big') as RepositoryNodeData;
    expect(await model.loadRepositoryDetails(big)).toBe(true); // the hover, which also caches the repository's token
    expect(big.repository.tagCount).toBe(TAGS);

    rig.resetRequests();
    const tags = await model.getChildren(big);
    const registryCalls = rig.requests.filter((r) => !r.path.startsWith('/oauth2/'));
    const tokenCalls = rig.requests.filter((r) => r.path.startsWith('/oauth2/'));
    expect(registryCalls.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /acr/v1/big/_tags']);
    expect(registryCalls[0]!.query).toMatch(/orderby=timedesc/);
    expect(registryCalls[0]!.query).toMatch(/n=100/);
    expect(tokenCalls.length).toBeLessThanOrEqual(1);
    expect(tags).toHaveLength(101);
    const listed = tags.filter((n): n is TagNodeData => n.kind === 'tag');
    expect(listed[0]!.tag.name).toBe('t0999');
    const times = listed.map((t) => t.tag.lastUpdated!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((tags[0] as TagNodeData).tag.digest).toMatch(/^sha256:/);
    expect(tags[100]).toMatchObject({ kind: 'loadMore', loaded: 100 });

    // A refresh of the node costs one page again and no token request (the token is cached).
    rig.resetRequests();
    model.invalidate(big);
    await model.getChildren(big);
    expect(rig.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /acr/v1/big/_tags']);

    // "Load more": one request for the next page, continuing where the first ended.
    rig.resetRequests();
    await model.loadMore(big);
    expect(rig.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /acr/v1/big/_tags']);
    const more = (await model.getChildren(big)).filter((n): n is TagNodeData => n.kind === 'tag');
    expect(more).toHaveLength(200);
    expect(new Set(more.map((t) => t.tag.name)).size).toBe(200);
    expect(more[100]!.tag.lastUpdated!.getTime()).toBeLessThanOrEqual(more[99]!.tag.lastUpdated!.getTime());
  });

  it('resolves a tag to its manifest for the tooltip and the platform children', async () => {
    const client = createRegistryClient({ loginServer: rig.loginServer, credentials: staticCredential(rig.admin), backend: 'acr' });
    const model = modelWith(client);
    const registry = await child(model, undefined, rig.loginServer);
    const small = await child(model, registry, 'small');
    const tag = await child(model, small, 'b') as TagNodeData;
    const platforms = await model.getChildren(tag);
    expect(platforms).toMatchObject([{ kind: 'manifest', digest: tag.tag.digest, platform: { os: 'linux', architecture: 'amd64' } }]);
  });

  it('shows untagged manifests after the tags from one /_manifests page, media types included, no HEAD', async () => {
    const client = createRegistryClient({ loginServer: rig.loginServer, credentials: staticCredential(rig.admin), backend: 'acr' });
    const heads: string[] = [];
    const model = modelWith(client, 100, { showUntagged: true, mediaTypeOf: async (_e, _r, digest) => { heads.push(digest); return 'x'; } });
    const registry = await child(model, undefined, rig.loginServer);
    const loose = await child(model, registry, 'loose') as RepositoryNodeData;

    rig.resetRequests();
    const children = await model.getChildren(loose);
    const calls = rig.requests.filter((r) => !r.path.startsWith('/oauth2/')).map((r) => `${r.method} ${r.path}`).sort();
    expect(calls).toEqual(['GET /acr/v1/loose/_manifests', 'GET /acr/v1/loose/_tags']);
    expect(children.map((n) => n.kind)).toEqual(['tag', 'untagged']);
    expect(children[1]).toMatchObject({ kind: 'untagged', manifest: { digest: untagged.digest, mediaType: untagged.mediaType, architecture: 'amd64' } });

    // The tag's tooltip: one properties request gives the media type; the HEAD fallback is not used on ACR.
    const tag = children[0] as TagNodeData;
    rig.resetRequests();
    const info = await model.getManifest(loose, tag.tag.digest!);
    expect(info.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(rig.requests.filter((r) => !r.path.startsWith('/oauth2/')).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /acr/v1/loose/_manifests/${encodeURIComponent(tag.tag.digest!)}`]);
    expect(heads).toEqual([]);

    // Deleting the untagged manifest: gone from the registry and from the loaded list without a reload.
    await client.deleteManifest('loose', untagged.digest);
    model.removeTags(loose, { digest: untagged.digest });
    expect((await model.getChildren(loose)).map((n) => n.kind)).toEqual(['tag']);
    model.invalidate(loose);
    expect((await model.getChildren(loose)).map((n) => n.kind)).toEqual(['tag']);
  });

  it('shows wrong credentials as an error node offering "Edit credentials", without the password', async () => {
    const client = createRegistryClient({ loginServer: rig.loginServer, credentials: staticCredential({ username: rig.admin.username, password: 'wrong-password-123' }), backend: 'acr' });
    const model = modelWith(client);
    const [registry] = await model.getChildren() as RegistryNodeData[];
    const children = await model.getChildren(registry);
    expect(children).toMatchObject([{ kind: 'error', errorKind: 'auth', action: 'editCredentials' }]);
    const text = JSON.stringify(children[0]);
    expect(text).not.toContain('wrong-password-123');
    expect(text).not.toContain(rig.admin.password);
  });

  it('a network failure becomes "Retry"', async () => {
    const client = createRegistryClient({ loginServer: '127.0.0.1:9', credentials: staticCredential(undefined), backend: 'acr' });
    const model = new ExplorerModel({
      sources: [{ name: 'x', listRegistries: async () => [{ ...entry, id: 'manual:dead', loginServer: '127.0.0.1:9' }] }],
      clientFor: () => client,
      settings: () => DEFAULT_SETTINGS,
    });
    const [registry] = await model.getChildren() as RegistryNodeData[];
    expect(await model.getChildren(registry)).toMatchObject([{ kind: 'error', errorKind: 'network', action: 'retry' }]);
  });
});
