/**
 * Token scopes (`repository:app:pull,push`): parsing, merging and the canonical sorted form used as
 * part of the token cache key.
 *
 * Reference: https://distribution.github.io/distribution/spec/auth/scope/
 */

/** A parsed scope: resource type, resource name (may contain `:`, e.g. a port), actions. */
export interface Scope {
  type: string;
  name: string;
  actions: string[];
}

/** Parses `type:name:actions`. The name is everything between the first and the last colon. */
export function parseScope(text: string): Scope | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const actions = text.slice(last + 1).split(',').filter((a) => a !== '');
  return { type: text.slice(0, first), name: text.slice(first + 1, last), actions };
}

/** The scope for `actions` on a repository: `repositoryScope('app', 'pull', 'push')` → `repository:app:pull,push`. */
export function repositoryScope(repository: string, ...actions: string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

/**
 * Merges scope lists (each entry may hold several space-separated scopes, as challenges do) into a
 * sorted, de-duplicated list where each resource appears once with the union of its actions in
 * sorted order. Text that is not `type:name:actions` is kept as it is.
 */
export function mergeScopes(...lists: Array<Iterable<string> | string | undefined>): string[] {
  const byResource = new Map<string, Set<string>>();
  const opaque = new Set<string>();
  for (const list of lists) {
    if (list === undefined) continue;
    for (const entry of typeof list === 'string' ? [list] : list) {
      for (const text of entry.split(/\s+/)) {
        if (text === '') continue;
        const scope = parseScope(text);
        if (!scope) {
          opaque.add(text);
          continue;
        }
        const key = `${scope.type}:${scope.name}`;
        const actions = byResource.get(key) ?? new Set<string>();
        scope.actions.forEach((a) => actions.add(a));
        byResource.set(key, actions);
      }
    }
  }
  const merged = [...byResource].map(([key, actions]) => `${key}:${[...actions].sort().join(',')}`);
  return [...merged, ...opaque].sort();
}
