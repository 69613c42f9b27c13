/**
 * The registry's first page of repositories on the real rig (Distribution behind the ACR stand-in),
 * counted from the rig's request log: names come from the catalog alone, details load one repository
 * at a time when asked for (the hover), never one request per row up front.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '@acrkit/core/acr/create-registry-client';
import { staticCredential } from '@acrkit/core/auth/credential';
import { startRig, type Rig } from '../../../../test/rig/rig';
import { ExplorerModel } from '../../src/model/explorer-model';
import type { ModelNode, RegistryNodeData, RepositoryNodeData } from '../../src/model/nodes';
import type { RegistryEntry } from '../../src/model/registry-entry';
import { DEFAULT_SETTINGS, type ModelSettings } from '../../src/model/settings';
import { pushImage, seedRepository } from '../support/seed-images';

const REPOSITORIES = 120;
const PAGE = 100;
let rig: Rig;
let entry: RegistryEntry;

const isToken = (r: { path: string }) => r.path.startsWith('/oauth2/');
const calls = () => rig.requests.filter((r) => !isToken(r)).map((r) => `${r.method} ${r.path}`);
const tokenCalls = () => rig.requests.filter(isToken).length;

/** A fresh model and client (cold token cache), as when VS Code starts. */
async function expandRegistry(settings: Partial<ModelSettings> = {}): Promise<{ model: ExplorerModel; registry: RegistryNodeData; children: ModelNode[] }> {
  const client = createRegistryClient({ loginServer: rig.loginServer, credentials: staticCredential(rig.admin), backend: 'acr' });
  const model = new ExplorerModel({
    sources: [{ name: 'rig', listRegistries: async () => [entry] }],
    clientFor: () => client,
    settings: () => ({ ...DEFAULT_SETTINGS, pageSize: PAGE, ...settings }),
  });
  const [registry] = await model.getChildren() as RegistryNodeData[];
  rig.resetRequests();
  return { model, registry: registry!, children: await model.getChildren(registry) };
}

beforeAll(async () => {
  rig = await startRig();
  entry = { id: `manual:${rig.loginServer}`, loginServer: rig.loginServer, source: 'manual', auth: 'basic', username: rig.admin.username, backend: 'acr' };
  const target = { loginServer: rig.loginServer, credential: rig.admin };
  const names = Array.from({ length: REPOSITORIES }, (_, i) => `many/r${String(i).padStart(3, '0')}`);
  let next = 0;
  await Promise.all(Array.from({ length: 6 }, async () => {
    while (next < names.length) {
      const name = names[next++]!;
      await pushImage(seedRepository(target, name), ['latest', 'v1']);
    }
  }));
}, 300_000);

afterAll(async () => {
  await rig?.stop();
});

describe('the first page of repositories on the rig', () => {
  it(`lists ${PAGE} of ${REPOSITORIES} repositories from the catalog alone: at most 3 registry requests, one token`, async () => {
    const { children } = await expandRegistry();
    // A cold client: the catalog's 401 challenge, one token, the catalog page; no /acr/v1/<repo> request.
    expect(calls().length).toBeLessThanOrEqual(3);
    expect(new Set(calls())).toEqual(new Set(['GET /acr/v1/_catalog']));
    expect(tokenCalls()).toBeLessThanOrEqual(1);
    const repos = children.filter((n): n is RepositoryNodeData => n.kind === 'repository');
    expect(repos).toHaveLength(PAGE);
    expect(repos.map((r) => r.repository.name)).toEqual([...repos.map((r) => r.repository.name)].sort());
    expect(repos.every((r) => r.repository.tagCount === undefined && r.repository.lastUpdated === undefined)).toBe(true);
    expect(children.at(-1)).toMatchObject({ kind: 'loadMore', loaded: PAGE });
  });

  it('"Load more" costs one catalog request and no detail request', async () => {
    const { model, registry } = await expandRegistry();
    rig.resetRequests();
    await model.loadMore(registry);
    expect(calls()).toEqual(['GET /acr/v1/_catalog']);
    expect(tokenCalls()).toBe(0);
    const repos = (await model.getChildren(registry)).filter((n) => n.kind === 'repository');
    expect(repos).toHaveLength(REPOSITORIES);
  });

  it('loads one repository\'s details lazily (one /acr/v1/<name> request, once) and they appear on its node', async () => {
    const { model, registry, children } = await expandRegistry();
    const repo = children.find((n): n is RepositoryNodeData => n.kind === 'repository' && n.repository.name === 'many/r007')!;
    rig.resetRequests();
    const before = Date.now();
    expect(await model.loadRepositoryDetails(repo)).toBe(true);
    expect(calls()).toEqual([`GET /acr/v1/${encodeURIComponent('many/r007')}`]);
    expect(tokenCalls()).toBeLessThanOrEqual(1); // its own repository-scoped token
    expect(repo.repository).toMatchObject({ name: 'many/r007', tagCount: 2, manifestCount: 1 });
    expect(repo.repository.lastUpdated!.getTime()).toBeLessThanOrEqual(before);
    // The same node object the tree holds carries them, and asking again costs nothing.
    expect((await model.getChildren(registry)).find((n) => n.id === repo.id)).toBe(repo);
    rig.resetRequests();
    expect(await model.loadRepositoryDetails(repo)).toBe(false);
    expect(rig.requests).toEqual([]);
    // The siblings stayed names only.
    expect(children.filter((n) => n.kind === 'repository' && n !== repo).every((n) => n.kind === 'repository' && n.repository.tagCount === undefined)).toBe(true);
  });

  it('the opt-in last-update sort still pays one details request per repository, and says so in its order', async () => {
    const { children } = await expandRegistry({ repositorySort: 'lastUpdated', pageSize: 10 });
    const details = calls().filter((c) => c !== 'GET /acr/v1/_catalog');
    expect(details).toHaveLength(10);
    const times = children.filter((n): n is RepositoryNodeData => n.kind === 'repository').map((n) => n.repository.lastUpdated!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
