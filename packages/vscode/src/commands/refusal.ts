/** Turns a registry's refusal of a change (locked, denied, unsupported) into a sentence for the user. */
import { RegistryError } from '@acrkit/core/http/registry-error';
import { UserFacingError } from './command-context';

export function explainRefusal(err: unknown, doing: string): Error {
  if (!RegistryError.is(err)) return err instanceof Error ? err : new Error(String(err));
  const detail = err.errors[0]?.message ?? err.message;
  if (err.status === 405 || err.codes.includes('UNSUPPORTED')) {
    // ACR answers 405 for a locked image as well as for operations it never allows.
    return new UserFacingError(`The registry does not allow ${doing}: it is locked, or the registry does not support it (${detail}).`);
  }
  if (err.status === 403 || err.status === 409 || err.codes.includes('DENIED')) {
    return new UserFacingError(`The registry refused ${doing}: ${detail}. If it is locked, unlock it first; otherwise check your permissions.`);
  }
  if (err.status === 401) return new UserFacingError(`The registry refused ${doing}: sign in again or edit the credentials (${detail}).`);
  return err;
}
