/**
 * Turns a failed registry call into a message that names the registry, the repository, the operation
 * and, for 401/403, the identity and the permission that is missing (ACR built-in roles).
 *
 * Reference: https://learn.microsoft.com/azure/container-registry/container-registry-roles
 */
import { RegistryError } from '@acrkit/core/http/registry-error';

export interface FailureContext {
  operation: 'login' | 'push' | 'tag' | 'list tags' | 'read';
  registry: string;
  repository?: string;
  identity: string;
}

const ROLE: Record<FailureContext['operation'], string> = {
  login: 'a role on the registry (AcrPull at least)',
  push: 'AcrPush (push and pull)',
  tag: 'AcrPush on the target repository and AcrPull on the source',
  'list tags': 'AcrPull (or a repository token with content/read and metadata/read)',
  read: 'AcrPull',
};

/** The RegistryError behind `err` (itself or a cause), if any. */
function registryErrorIn(err: unknown): RegistryError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (RegistryError.is(e)) return e;
  }
  return undefined;
}

/** Errors `@azure/identity` throws when Entra ID (or a managed identity endpoint) gives no token. */
const ENTRA_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AggregateAuthenticationError']);

/** Whether `err` (itself or a cause) is an Entra ID token failure rather than a registry answer. */
function isEntraFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (ENTRA_ERRORS.has(e.name)) return true;
  }
  return false;
}

/** An Error whose message says what failed and, when it was a permission problem, what to grant. */
export function describeFailure(err: unknown, ctx: FailureContext): Error {
  const where = ctx.repository ? `${ctx.registry}/${ctx.repository}` : ctx.registry;
  const base = err instanceof Error ? err.message : String(err);
  let hint = '';
  const status = registryErrorIn(err)?.status;
  if (status === 401 && ctx.operation === 'login') {
    hint = ` — the registry refused the credentials of ${ctx.identity}; check them and that they are not expired`;
  } else if (status === 401) {
    // ACR answers 401, not 403, when a valid identity's token lacks the scope asked for.
    hint = ` — ${ctx.identity} was refused: it needs ${ROLE[ctx.operation]}, and valid, unexpired credentials`;
  } else if (status === 403) {
    hint = ` — ${ctx.identity} lacks permission: it needs ${ROLE[ctx.operation]}`;
  } else if (status === undefined && isEntraFailure(err)) {
    // The registry was never asked: say whose Entra token could not be had (a wrong client-id, say).
    hint = ` — Entra ID gave no token to ${ctx.identity}`;
  }
  return new Error(`${ctx.operation} ${where}: ${base}${hint}`, { cause: err });
}
