/**
 * Authentication failures that are not an HTTP status: a realm we refuse to send credentials to, or
 * a token endpoint answering something that is not a token.
 * (A token endpoint refusing us is a RegistryError with the status and the registry's codes.)
 */
export type AuthErrorCode = 'INVALID_REALM' | 'INSECURE_REALM' | 'INVALID_TOKEN_RESPONSE';

/** An authentication failure that is not an HTTP status; see {@link AuthErrorCode}. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(readonly code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** True when `err` is an AuthError (of `code`, when given). */
  static is(err: unknown, code?: AuthErrorCode): err is AuthError {
    return err instanceof AuthError && (code === undefined || err.code === code);
  }
}
