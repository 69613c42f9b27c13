/**
 * A registry answer that breaks the protocol in a way no status code describes: a missing
 * `Location`, a listing that is not JSON, a `Link` to another host. Unexpected statuses are
 * `RegistryError`s instead.
 */
export type RegistryProtocolErrorCode =
  /** A 201/202 without the `Location` the next step needs. */
  | 'missing-location'
  /** A 200 without a body where one is required. */
  | 'missing-body'
  /** A body that is not the JSON the endpoint promises. */
  | 'invalid-body'
  /** A `Link` header that is malformed or points to another scheme or host. */
  | 'bad-link'
  /** An index nested deeper than the client follows (or a cycle). */
  | 'too-deep'
  /** A resumed download answered with bytes from another offset than the one asked for. */
  | 'bad-range';

export class RegistryProtocolError extends Error {
  override readonly name = 'RegistryProtocolError';

  constructor(readonly code: RegistryProtocolErrorCode, message: string) {
    super(message);
  }

  /** True when `err` is a RegistryProtocolError (with `code`, when given). */
  static is(err: unknown, code?: RegistryProtocolErrorCode): err is RegistryProtocolError {
    return err instanceof RegistryProtocolError && (code === undefined || err.code === code);
  }
}
