/**
 * A push, copy or tag that failed, saying which operation, on what, and whether the source or the
 * destination failed (oras-go `CopyError`). The underlying error (a RegistryError,
 * DigestMismatchError, ArchiveError, ...) is `cause`; test it with its own `is()`.
 */
export type ImageOperation = 'push' | 'copy' | 'tag';

/** Where the failure happened. */
export type ImageOperationOrigin = 'source' | 'destination';

export class ImageOperationError extends Error {
  override readonly name = 'ImageOperationError';

  constructor(
    readonly operation: ImageOperation,
    readonly origin: ImageOperationOrigin,
    /** What was asked, e.g. `oci layout /tmp/app:v1 to 127.0.0.1:5000/app:v1`. */
    readonly subject: string,
    cause: unknown,
  ) {
    const verb = { push: 'pushing', copy: 'copying', tag: 'tagging' }[operation];
    super(`${verb} ${subject}: ${origin}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }

  /** True when `err` is an ImageOperationError (from `origin`, when given). */
  static is(err: unknown, origin?: ImageOperationOrigin): err is ImageOperationError {
    return err instanceof ImageOperationError && (origin === undefined || err.origin === origin);
  }
}

/** Runs a source-side step, wrapping failures as ImageOperationError('source'). */
export async function onSource<T>(operation: ImageOperation, subject: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw ImageOperationError.is(err) ? err : new ImageOperationError(operation, 'source', subject, err);
  }
}

/** Runs a destination-side step, wrapping failures as ImageOperationError('destination'). */
export async function onTarget<T>(operation: ImageOperation, subject: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw ImageOperationError.is(err) ? err : new ImageOperationError(operation, 'destination', subject, err);
  }
}
