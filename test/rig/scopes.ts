/**
 * Token scopes as ACR reads them: `repository:<name>:<actions>` and `registry:catalog:*`, with both
 * spellings of the metadata actions (`metadata_read` from the SDKs, `metadataRead` from az CLI).
 * Reference: ../shared/notes/acr-wire.md §1.1, §1.3.
 */
import type { RepoAction } from './front-plugin';

/** One entry of a token's `access` claim (Distribution's shape). */
export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

const ACTION_SPELLINGS: Record<string, string> = {
  metadataRead: 'metadata_read',
  metadataWrite: 'metadata_write',
};

/** Parses one `scope` value; returns undefined for text that is not a scope (ignored, as registries do). */
export function parseScope(scope: string): AccessEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  let type = scope.slice(0, first);
  // Helm asks for `artifact-repository:<name>:pull`; ACR treats it as a repository.
  if (type === 'artifact-repository') type = 'repository';
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((a) => ACTION_SPELLINGS[a.trim()] ?? a.trim())
    .filter((a) => a !== '');
  return { type, name: scope.slice(first + 1, last), actions };
}

/** Everything a principal may do. */
export interface Permissions {
  /** Actions on every repository. */
  all: ReadonlySet<string>;
  /** Extra actions on named repositories (repository-scoped tokens). */
  repositories?: Readonly<Record<string, readonly string[]>>;
  /** Whether `registry:catalog:*` is allowed. */
  catalog: boolean;
}

/** Built-in ACR roles the rig understands. Reference: ACR "roles and permissions" doc. */
export type Role = 'AcrPull' | 'AcrPush' | 'AcrDelete' | 'AcrImageSigner' | 'Reader' | 'Contributor' | 'Owner';

const ROLE_ACTIONS: Record<Role, { actions: RepoAction[]; catalog: boolean }> = {
  AcrPull: { actions: ['pull', 'metadata_read'], catalog: false },
  AcrPush: { actions: ['pull', 'push', 'metadata_read', 'metadata_write'], catalog: false },
  AcrDelete: { actions: ['delete'], catalog: false },
  AcrImageSigner: { actions: [], catalog: false },
  Reader: { actions: ['pull', 'metadata_read'], catalog: true },
  Contributor: { actions: ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'], catalog: true },
  Owner: { actions: ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'], catalog: true },
};

/** Every action, as the admin user and Owner have it. */
export const ALL_ACTIONS: readonly RepoAction[] = ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'];

/** The union of the permissions of `roles`. */
export function permissionsOfRoles(roles: readonly Role[]): Permissions {
  const all = new Set<string>();
  let catalog = false;
  for (const role of roles) {
    const def = ROLE_ACTIONS[role];
    if (!def) throw new Error(`unknown role ${JSON.stringify(role)} (expected one of ${Object.keys(ROLE_ACTIONS).join(', ')})`);
    def.actions.forEach((a) => all.add(a));
    catalog ||= def.catalog;
  }
  return { all, catalog };
}

/** Grants = requested ∩ allowed, per scope; scopes granting nothing are dropped. */
export function grant(requested: readonly AccessEntry[], allowed: Permissions): AccessEntry[] {
  const out: AccessEntry[] = [];
  for (const req of requested) {
    let actions: string[] = [];
    if (req.type === 'registry' && req.name === 'catalog') {
      actions = allowed.catalog ? req.actions.filter((a) => a === '*') : [];
    } else if (req.type === 'repository') {
      const own = allowed.repositories?.[req.name] ?? [];
      const expanded = req.actions.includes('*') ? [...ALL_ACTIONS] : req.actions;
      actions = expanded.filter((a) => allowed.all.has(a) || own.includes(a));
    }
    if (actions.length > 0) out.push({ type: req.type, name: req.name, actions: [...new Set(actions)] });
  }
  return out;
}
