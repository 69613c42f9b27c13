/**
 * Contender: the VS Code extension's model (packages/vscode/src/model, no vscode import) over the core's
 * ACR RegistryClient, as the tree drives it: expand a repository (first page of tags, newest first), or
 * expand it and press "Load more" until everything is loaded; the same for a registry's repositories.
 * Default settings (page size, sort by name: a registry's first page is its catalog page, names only),
 * admin-user credentials.
 *
 * `first-tags-warm` is the session case: the user has hovered the repository node (the model loaded its
 * details, `loadRepositoryDetails`, as the tooltip does), so its token is cached and the tag page itself
 * is what is timed; it prints when that started, so requests before it are not counted.
 *
 * Args: --login-server HOST --username U --password P --mode first-tags|first-tags-warm|all-tags|first-repos|all-repos
 *       [--repository R] [--page-size N (the page-size setting; default the model's)]
 * Prints {"items": N} (items loaded), plus {"startedAt": ms, "seconds": s} for the warm mode.
 */
import { staticCredential } from '@acrkit/core/auth/credential';
import { createRegistryClient } from '@acrkit/core/acr/create-registry-client';
import type { RegistryClient } from '@acrkit/core/registry/registry-client';
import { ExplorerModel } from '../../packages/vscode/src/model/explorer-model';
import { nodeIds, type ModelNode, type RegistryNodeData, type RepositoryNodeData } from '../../packages/vscode/src/model/nodes';
import { manualRegistryId, type RegistryEntry } from '../../packages/vscode/src/model/registry-entry';
import { DEFAULT_SETTINGS } from '../../packages/vscode/src/model/settings';
import { parseArgs } from './layout-reader';

const MODES = ['first-tags', 'first-tags-warm', 'all-tags', 'first-repos', 'all-repos'];

/** Expands `node`, then "Load more" while the last child offers it; returns the loaded item nodes. */
async function expand(model: ExplorerModel, node: RegistryNodeData | RepositoryNodeData, all: boolean): Promise<ModelNode[]> {
  let children = await model.getChildren(node);
  while (all && children.at(-1)?.kind === 'loadMore') {
    await model.loadMore(node);
    children = await model.getChildren(node);
  }
  const failed = children.find((c) => c.kind === 'error');
  if (failed) throw new Error(`expanding ${node.id}: ${(failed as { message: string }).message}`);
  return children.filter((c) => c.kind === 'tag' || c.kind === 'repository');
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['login-server', 'username', 'password', 'mode']);
  if (!MODES.includes(a.mode!)) throw new Error(`--mode ${a.mode}: expected one of ${MODES.join(', ')}`);
  const entry: RegistryEntry = { id: manualRegistryId(a['login-server']!), loginServer: a['login-server']!, source: 'manual', auth: 'basic', username: a.username };
  let client: RegistryClient | undefined;
  const model = new ExplorerModel({
    sources: [{ name: 'Added registries', listRegistries: async () => [entry] }],
    clientFor: (e) => (client ??= createRegistryClient({ loginServer: e.loginServer, credentials: staticCredential({ username: a.username, password: a.password }), backend: 'acr' })),
    settings: () => ({ ...DEFAULT_SETTINGS, ...(a['page-size'] && { pageSize: Number(a['page-size']) }) }),
  });
  const [registry] = (await model.getChildren()) as RegistryNodeData[];
  if (registry?.kind !== 'registry') throw new Error(`the model listed no registry: ${JSON.stringify(registry)}`);
  let items: ModelNode[];
  if (a.mode!.endsWith('repos')) {
    items = await expand(model, registry, a.mode === 'all-repos');
  } else {
    // The tree reaches the repository node through the registry's list; build it directly so that
    // only the tag listing is measured.
    const repository: RepositoryNodeData = { kind: 'repository', id: nodeIds.repository(registry, a.repository!), parent: registry, repository: { name: a.repository! } };
    if (a.mode === 'first-tags-warm') {
      if (!(await model.loadRepositoryDetails(repository))) throw new Error(`no details loaded for ${a.repository}`);
      const startedAt = Date.now();
      const t0 = process.hrtime.bigint();
      items = await expand(model, repository, false);
      console.log(JSON.stringify({ items: items.length, startedAt, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
      return;
    }
    items = await expand(model, repository, a.mode === 'all-tags');
  }
  console.log(JSON.stringify({ items: items.length }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
