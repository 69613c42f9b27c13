/**
 * describeFailure: the message names the operation, the registry and, when it helps, whose credentials
 * failed. Real error classes from @azure/identity and the core, not look-alikes.
 */
import { AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { describe, expect, test } from 'vitest';
import { describeFailure } from '../src/registry-failure';

const ctx = { operation: 'login' as const, registry: 'r.azurecr.io', identity: 'managed identity (client-id abc)' };

describe('describeFailure', () => {
  test('an Entra ID failure behind the core error names the identity Entra refused', () => {
    const cause = new AuthenticationError(400, { error: 'invalid_request', error_description: 'no managed identity matches' });
    const err = describeFailure(new Error('getting an ACR refresh token for r.azurecr.io with Entra ID: x', { cause }), ctx);
    expect(err.message).toMatch(/^login r\.azurecr\.io: getting an ACR refresh token .* — Entra ID gave no token to managed identity \(client-id abc\)$/);
    expect(err.cause).toBeInstanceOf(Error);
  });

  test('an unavailable credential (no managed identity endpoint on this runner) also names it', () => {
    const err = describeFailure(new Error('wrapped', { cause: new CredentialUnavailableError('ManagedIdentityCredential: unavailable') }), ctx);
    expect(err.message).toBe('login r.azurecr.io: wrapped — Entra ID gave no token to managed identity (client-id abc)');
  });

  test('any other failure gets no identity hint', () => {
    expect(describeFailure(new Error('socket hang up'), { ...ctx, repository: 'app' }).message).toBe('login r.azurecr.io/app: socket hang up');
  });
});
