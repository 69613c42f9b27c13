/**
 * Wires front plugins: what the rig offers them (`PluginDeps`) and loading the default ones. The /acr/v1
 * plugin is engineer D's (`test/rig/acr-v1/index.ts` exporting `createAcrV1Plugin(deps)`); it is loaded
 * when present so every rig serves /acr/v1 without each test asking for it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FrontPlugin } from './front-plugin';
import type { TokenIssuer } from './token-issuer';
import { parseV2Operation } from './v2-operation';

/** What the rig gives plugin factories. */
export interface PluginDeps {
  /** `127.0.0.1:<port>` */
  loginServer: string;
  /** Calls Distribution (path like `/v2/<name>/tags/list`) with a token granting everything on the path's scope. */
  distributionFetch(path: string, init?: RequestInit): Promise<Response>;
  /** Distribution's filesystem storage root (`<root>/docker/registry/v2/repositories/...`). */
  storageDir: string;
  /** Clock in ms since the epoch. */
  now(): number;
}

/** A fetch to Distribution authorised with a freshly minted all-actions token for the path. */
export function makeDistributionFetch(distributionUrl: string, issuer: TokenIssuer): PluginDeps['distributionFetch'] {
  return (path, init = {}) => {
    const op = parseV2Operation(init.method ?? 'GET', new URL(path, distributionUrl).pathname);
    const access =
      op.kind === 'catalog'
        ? [{ type: 'registry', name: 'catalog', actions: ['*'] }]
        : op.repository !== undefined
          ? [{ type: 'repository', name: op.repository, actions: ['pull', 'push', 'delete', '*'] }]
          : [];
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${issuer.accessToken('rig', access, { internal: true })}`);
    return fetch(new URL(path, distributionUrl), { ...init, headers });
  };
}

/** Loads the default plugins that exist in this tree. */
export async function loadDefaultPlugins(deps: PluginDeps): Promise<FrontPlugin[]> {
  const file = fileURLToPath(new URL('./acr-v1/index.ts', import.meta.url));
  if (!existsSync(file)) return [];
  const specifier = './acr-v1/index';
  const mod = (await import(/* @vite-ignore */ specifier)) as { createAcrV1Plugin?: (d: PluginDeps) => FrontPlugin | Promise<FrontPlugin> };
  return mod.createAcrV1Plugin ? [await mod.createAcrV1Plugin(deps)] : [];
}
