import { describe, expect, it } from 'vitest';
import { ExplorerModel } from '../../src/model/explorer-model';
import type { ModelNode, RegistryNodeData, RepositoryNodeData, TagNodeData } from '../../src/model/nodes';
import type { RegistryEntry, RegistrySource } from '../../src/model/registry-entry';
import { DEFAULT_SETTINGS, type ModelSettings } from '../../src/model/settings';
import { FakeRegistryClient, makeTags } from '../support/fake-registry-client';

const manual: RegistryEntry = { id: 'manual:reg.example', loginServer: 'reg.example', source: 'manual', auth: 'basic', username: 'u' };
const azureEntry: RegistryEntry = { id: 'azure:/sub/x', loginServer: 'x.azurecr.io', source: 'azure', auth: 'entra' };

function setup(options: { settings?: Partial<ModelSettings>; client?: FakeRegistryClient; sources?: RegistrySource[] } = {}) {
  const client = options.client ?? new FakeRegistryClient('reg.example', [
    { info: { name: 'app', tagCount: 120, lastUpdated: new Date(Date.UTC(2026, 1, 1)) }, tags: makeTags(120) },
    { info: { name: 'web', tagCount: 3, lastUpdated: new Date(Date.UTC(2026, 5, 1)) }, tags: makeTags(3) },
    { info: { name: 'old', tagCount: 1, lastUpdated: new Date(Date.UTC(2025, 1, 1)) }, tags: makeTags(1) },
  ]);
  const sources = options.sources ?? [{ name: 'Added', listRegistries: async () => [manual] }];
  const model = new ExplorerModel({ sources, clientFor: () => client, settings: () => ({ ...DEFAULT_SETTINGS, pageSize: 50, ...options.settings }) });
  return { model, client };
}

async function expand(model: ExplorerModel, path: string[]): Promise<ModelNode[]> {
  let children = await model.getChildren();
  for (const label of path) {
    const node = children.find((n) => labelOf(n) === label);
    if (!node) throw new Error(`no ${label} in ${children.map(labelOf).join(', ')}`);
    children = await model.getChildren(node);
  }
  return children;
}

function labelOf(node: ModelNode): string {
  switch (node.kind) {
    case 'registry': return node.registry.loginServer;
    case 'repository': return node.repository.name;
    case 'tag': return node.tag.name;
    case 'manifest': return `${node.platform.os}/${node.platform.architecture}`;
    case 'loadMore': return node.list === 'untagged' ? 'Load more untagged' : 'Load more';
    case 'untagged': return `untagged ${node.manifest.digest}`;
    default: return node.message;
  }
}

describe('ExplorerModel', () => {
  it('lists repositories by name from ONE catalog page, names only, with no detail request', async () => {
    const { model, client } = setup();
    const repos = await expand(model, ['reg.example']) as RepositoryNodeData[];
    expect(repos.map(labelOf)).toEqual(['app', 'old', 'web']);
    expect(repos[0]!.repository).toEqual({ name: 'app' });
    expect(client.calls).toEqual(['listRepositories']);
  });

  it('loads one repository\'s details when asked (the hover), once, and forgets them on its refresh', async () => {
    const { model, client } = setup();
    const [app, old] = await expand(model, ['reg.example']) as RepositoryNodeData[];
    const [first, second] = await Promise.all([model.loadRepositoryDetails(app!), model.loadRepositoryDetails(app!)]);
    expect([first, second]).toEqual([true, true]);
    expect(app!.repository).toMatchObject({ name: 'app', tagCount: 120, lastUpdated: new Date(Date.UTC(2026, 1, 1)) });
    expect(old!.repository).toEqual({ name: 'old' });
    expect(await model.loadRepositoryDetails(app!)).toBe(false);
    expect(client.calls).toEqual(['listRepositories', 'getRepository app']);
    // The node keeps its details when the registry's children are asked for again without a refresh.
    expect((await model.getChildren(app!.parent))[0]).toBe(app);
    expect(app!.repository.tagCount).toBe(120);
    model.invalidate(app);
    expect(app!.repository).toEqual({ name: 'app' });
    expect(await model.loadRepositoryDetails(app!)).toBe(true);
    expect(client.calls.filter((c) => c.startsWith('getRepository'))).toEqual(['getRepository app', 'getRepository app']);
  });

  it('asks again after a failed details request, and asks a plain registry nothing', async () => {
    const { model, client } = setup();
    const [app] = await expand(model, ['reg.example']) as RepositoryNodeData[];
    client.failWith = Object.assign(new Error('GET x: 500'), { status: 500 });
    await expect(model.loadRepositoryDetails(app!)).rejects.toThrow('500');
    client.failWith = undefined;
    expect(await model.loadRepositoryDetails(app!)).toBe(true);
    expect(app!.repository.tagCount).toBe(120);
    const plain = new FakeRegistryClient('reg.example', [{ info: { name: 'app' }, tags: makeTags(1) }], 'distribution');
    const plainModel = setup({ client: plain }).model;
    const [repo] = await expand(plainModel, ['reg.example']) as RepositoryNodeData[];
    expect(await plainModel.loadRepositoryDetails(repo!)).toBe(false);
    expect(plain.calls).toEqual(['listRepositories']);
  });

  it('sorts newest-updated first when asked, paying one detail request per repository up front', async () => {
    const { model, client } = setup({ settings: { repositorySort: 'lastUpdated' } });
    const repos = await expand(model, ['reg.example']);
    expect(repos.map(labelOf)).toEqual(['web', 'app', 'old']);
    expect((repos[0] as RepositoryNodeData).repository.tagCount).toBe(3);
    expect(client.calls.filter((c) => c.startsWith('listRepositories'))).toHaveLength(1);
    expect(client.calls.filter((c) => c.startsWith('getRepository'))).toHaveLength(3);
  });

  it('expands a repository with ONE page request, newest tag first, and a Load more node', async () => {
    const { model, client } = setup();
    const before = client.calls.length;
    const tags = await expand(model, ['reg.example', 'app']);
    const tagCalls = client.calls.slice(before).filter((c) => c.startsWith('listTags'));
    expect(tagCalls).toEqual(['listTags app']);
    expect(client.calls.slice(before).filter((c) => c.startsWith('getTag') || c.startsWith('getManifest'))).toEqual([]);
    expect(tags.slice(0, 3).map(labelOf)).toEqual(['t119', 't118', 't117']);
    expect(tags).toHaveLength(51);
    expect(tags[50]).toMatchObject({ kind: 'loadMore', loaded: 50, hidden: 0 });
  });

  it('"Load more" fetches exactly the next page and appends it; the last page has no Load more', async () => {
    const { model, client } = setup();
    const tags = await expand(model, ['reg.example', 'app']);
    const repo = (tags[0] as TagNodeData).parent;
    await model.loadMore(repo);
    expect(client.calls.filter((c) => c.startsWith('listTags'))).toEqual(['listTags app', 'listTags app 50']);
    const more = await model.getChildren(repo);
    expect(more).toHaveLength(101);
    expect(labelOf(more[50]!)).toBe('t69');
    await model.loadMore(repo);
    const all = await model.getChildren(repo);
    expect(all).toHaveLength(120);
    expect(all.some((n) => n.kind === 'loadMore')).toBe(false);
  });

  it('filters tags by substring and by glob on what is loaded, and says when nothing matches', async () => {
    const { model, client } = setup();
    const tags = await expand(model, ['reg.example', 'app']);
    const repo = (tags[0] as TagNodeData).parent;
    const calls = client.calls.length;
    model.setFilter('tags', 't11');
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['t119', 't118', 't117', 't116', 't115', 't114', 't113', 't112', 't111', 't110', 'Load more']);
    model.setFilter('tags', 't7?');
    const glob = await model.getChildren(repo);
    expect(glob.map(labelOf)).toEqual(['t79', 't78', 't77', 't76', 't75', 't74', 't73', 't72', 't71', 't70', 'Load more']);
    expect(glob.at(-1)).toMatchObject({ kind: 'loadMore', hidden: 40 });
    model.setFilter('tags', 'nope*');
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['No tags match "nope*" in the 50 loaded', 'Load more']);
    model.clearFilter();
    expect(await model.getChildren(repo)).toHaveLength(51);
    expect(client.calls.length).toBe(calls);
  });

  it('keeps one object per id, so a refreshed node is the node VS Code holds', async () => {
    const { model } = setup();
    const first = await expand(model, ['reg.example']);
    model.invalidate(first[0]!.kind === 'repository' ? first[0]!.parent : undefined);
    const second = await expand(model, ['reg.example']);
    expect(second[0]).toBe(first[0]);
    expect(new Set(second.map((n) => n.id)).size).toBe(second.length);
  });

  it('refreshing one repository reloads only its tags', async () => {
    const { model, client } = setup();
    const repos = await expand(model, ['reg.example']) as RepositoryNodeData[];
    const [app, web] = [repos[0]!, repos[2]!];
    await model.getChildren(web);
    await model.getChildren(app);
    model.invalidate(web);
    const before = client.calls.length;
    await model.getChildren(web);
    await model.getChildren(app);
    await model.getChildren(web.parent);
    expect(client.calls.slice(before)).toEqual(['listTags web']);
  });

  it('a cancelled load leaves a "Loading cancelled" node that loads again on retry', async () => {
    const { model, client } = setup();
    const repo = (await expand(model, ['reg.example']) as RepositoryNodeData[]).find((r) => r.repository.name === 'web')!;
    let open!: () => void;
    client.gate = new Promise((resolve) => (open = resolve));
    const controller = new AbortController();
    const pending = model.getChildren(repo, { signal: controller.signal });
    controller.abort(new DOMException('cancelled', 'AbortError'));
    const cancelled = await pending;
    expect(cancelled).toMatchObject([{ kind: 'message', retry: true, message: 'Loading cancelled. Click to load again.' }]);
    client.gate = undefined;
    open();
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['t2', 't1', 't0']);
  });

  it.each([
    ['401 on a hand-added registry', manual, Object.assign(new Error('GET x: 401 UNAUTHORIZED'), { status: 401 }), 'auth', 'editCredentials'],
    ['403 on an Azure registry', azureEntry, Object.assign(new Error('GET x: 403 DENIED'), { status: 403 }), 'forbidden', 'signIn'],
    ['connection refused', manual, new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), 'network', 'retry'],
    ['a 500', manual, Object.assign(new Error('GET x: 500'), { status: 500 }), 'other', 'retry'],
  ])('turns %s into an error node with the right action', async (_name, entry, error, errorKind, action) => {
    const client = new FakeRegistryClient(entry.loginServer, []);
    client.failWith = error;
    const { model } = setup({ client, sources: [{ name: 'S', listRegistries: async () => [entry] }] });
    const [registry] = await model.getChildren() as RegistryNodeData[];
    const children = await model.getChildren(registry);
    expect(children).toMatchObject([{ kind: 'error', errorKind, action, registry: entry }]);
    expect((children[0] as { message: string }).message).toContain((error as Error).message);
  });

  it('shows a failing source as an error node next to the registries of the others', async () => {
    const { model } = setup({
      sources: [
        { name: 'Azure', listRegistries: async () => { throw Object.assign(new Error('ARM said no'), { status: 401 }); } },
        { name: 'Added', listRegistries: async () => [manual] },
      ],
    });
    const roots = await model.getChildren();
    expect(roots.map((n) => n.kind)).toEqual(['error', 'registry']);
    expect(roots[0]).toMatchObject({ action: 'signIn', message: 'Azure: ARM said no' });
  });

  it('expands a tag into its index platforms, or into its one manifest', async () => {
    const { model, client } = setup();
    const tags = await expand(model, ['reg.example', 'web']) as TagNodeData[];
    client.manifests.set(tags[0]!.tag.digest!, {
      digest: tags[0]!.tag.digest!,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      references: [{ digest: 'sha256:' + 'a'.repeat(64), os: 'linux', architecture: 'amd64' }, { digest: 'sha256:' + 'b'.repeat(64), os: 'linux', architecture: 'arm64' }],
    });
    expect((await model.getChildren(tags[0])).map(labelOf)).toEqual(['linux/amd64', 'linux/arm64']);
    expect((await model.getChildren(tags[1])).map(labelOf)).toEqual(['linux/amd64']);
  });

  it('applies mutations to the loaded list without reloading: untag, new tag first, lock state', async () => {
    const { model, client } = setup();
    const tags = await expand(model, ['reg.example', 'web']) as TagNodeData[];
    const repo = tags[0]!.parent;
    const calls = client.calls.length;
    model.removeTags(repo, { tag: 't1' });
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['t2', 't0']);
    model.insertTag(repo, { name: 'fresh', digest: tags[2]!.tag.digest });
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['fresh', 't2', 't0']);
    model.removeTags(repo, { digest: tags[2]!.tag.digest });
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['t2']);
    model.updateTag(tags[0]!, { name: 't2', attributes: { writeEnabled: false, deleteEnabled: false } });
    expect(tags[0]!.tag.attributes).toEqual({ writeEnabled: false, deleteEnabled: false });
    expect(client.calls.length).toBe(calls);
  });
});

describe('ExplorerModel manifest details', () => {
  it('asks a distribution client for the media type (one HEAD) only when it did not give it, and caches the answer', async () => {
    const client = new FakeRegistryClient('reg.example', [{ info: { name: 'app' }, tags: makeTags(1) }], 'distribution');
    const asked: string[] = [];
    const model = new ExplorerModel({
      sources: [{ name: 'S', listRegistries: async () => [manual] }],
      clientFor: () => client,
      settings: () => DEFAULT_SETTINGS,
      mediaTypeOf: async (_entry, repository, digest) => { asked.push(`${repository}@${digest}`); return 'application/vnd.oci.image.index.v1+json'; },
    });
    const [registry] = await model.getChildren();
    const [repo] = await model.getChildren(registry) as RepositoryNodeData[];
    const [tag] = await model.getChildren(repo) as TagNodeData[];
    client.manifests.set(tag!.tag.digest!, { digest: tag!.tag.digest!, size: 10 });
    const info = await model.getManifest(repo!, tag!.tag.digest!);
    await model.getManifest(repo!, tag!.tag.digest!);
    expect(info.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(asked).toEqual([`app@${tag!.tag.digest}`]);
  });
});

describe('ExplorerModel untagged manifests (acrkit.showUntagged)', () => {
  const untagged = (i: number) => ({ digest: `sha256:${'f'.repeat(63)}${i}`, tags: [], mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 100 + i });

  function withUntagged(backend: 'acr' | 'distribution' = 'acr') {
    return new FakeRegistryClient('reg.example', [{ info: { name: 'app' }, tags: makeTags(3), untagged: [untagged(1), untagged(2), untagged(3)] }], backend);
  }

  /** `app` expanded with untagged manifests shown: the client, the model, app's children and app's node. */
  async function expandedWithUntagged(settings: Partial<ModelSettings> = {}) {
    const client = withUntagged();
    const { model } = setup({ client, settings: { showUntagged: true, ...settings } });
    const children = await expand(model, ['reg.example', 'app']);
    return { client, model, children, repo: (children[0] as TagNodeData).parent };
  }

  it('lists nothing extra when the setting is off', async () => {
    const client = withUntagged();
    const { model } = setup({ client });
    expect((await expand(model, ['reg.example', 'app'])).map(labelOf)).toEqual(['t2', 't1', 't0']);
    expect(client.calls.some((c) => c.startsWith('listManifests'))).toBe(false);
  });

  it('shows the untagged manifests after the tags, one manifest page per expansion, more on "Load more untagged"', async () => {
    const { client, model, children, repo } = await expandedWithUntagged({ pageSize: 4 });
    // Page 1 holds the 3 tagged digests and the first untagged one.
    expect(children.map(labelOf)).toEqual(['t2', 't1', 't0', `untagged ${untagged(1).digest}`, 'Load more untagged']);
    expect(client.calls.filter((c) => c.startsWith('listManifests'))).toEqual(['listManifests app']);
    await model.loadMore(repo, { list: 'untagged' });
    expect(client.calls.filter((c) => c.startsWith('listManifests'))).toEqual(['listManifests app', 'listManifests app 4']);
    const after = await model.getChildren(repo!);
    expect(after.map(labelOf)).toEqual(['t2', 't1', 't0', ...[1, 2, 3].map((i) => `untagged ${untagged(i).digest}`)]);
    expect(after[3]).toMatchObject({ kind: 'untagged', manifest: { size: 101 } });
    expect(client.calls.filter((c) => c.startsWith('listTags'))).toHaveLength(1);
  });

  it('applies the tag filter to untagged manifests, matched against their digest', async () => {
    const { client, model, repo } = await expandedWithUntagged();
    const calls = client.calls.length;
    model.setFilter('tags', 't1');
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['t1']);
    model.setFilter('tags', 'nope');
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['No tags match "nope" in the 3 loaded']);
    model.setFilter('tags', 'F3');
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['No tags match "F3" in the 3 loaded', `untagged ${untagged(3).digest}`]);
    model.setFilter('tags', 'sha256:f*2');
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['No tags match "sha256:f*2" in the 3 loaded', `untagged ${untagged(2).digest}`]);
    model.clearFilter();
    expect((await model.getChildren(repo)).map(labelOf)).toHaveLength(6);
    expect(client.calls.length).toBe(calls);
  });

  it('counts the untagged manifests the filter hides on "Load more untagged"', async () => {
    const { model, repo } = await expandedWithUntagged({ pageSize: 5 });
    model.setFilter('tags', 'f1');
    expect((await model.getChildren(repo)).slice(-2)).toMatchObject([{ kind: 'untagged', manifest: { digest: untagged(1).digest } }, { kind: 'loadMore', list: 'untagged', loaded: 5, hidden: 1 }]);
  });

  it('drops an untagged manifest once deleted or tagged, without reloading', async () => {
    const { client, model, repo } = await expandedWithUntagged();
    const calls = client.calls.length;
    model.removeTags(repo, { digest: untagged(1).digest });
    model.insertTag(repo, { name: 'new', digest: untagged(2).digest });
    expect((await model.getChildren(repo)).map(labelOf)).toEqual(['new', 't2', 't1', 't0', `untagged ${untagged(3).digest}`]);
    expect(client.calls.length).toBe(calls);
  });

  it('keeps the tags usable and says why when the registry cannot list manifests', async () => {
    const client = withUntagged('distribution');
    const { model } = setup({ client, settings: { showUntagged: true } });
    const children = await expand(model, ['reg.example', 'app']);
    expect(children.slice(0, 3).map(labelOf)).toEqual(['t2', 't1', 't0']);
    expect(children).toHaveLength(4);
    expect(labelOf(children[3]!)).toMatch(/^Untagged manifests: .*the distribution API lists tags only/);
  });
});
