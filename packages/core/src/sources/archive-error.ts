/**
 * What can be wrong with a local image source (layout directory or archive). Registry failures are
 * `RegistryError`s instead; this one never involves the network.
 */
export type ArchiveErrorCode =
  /** Not a tar, truncated, or a required file (`oci-layout`, `index.json`, `manifest.json`) is missing or malformed. */
  | 'invalid-archive'
  /** An entry or link that would leave the archive root (absolute path, `..`, link outside). */
  | 'unsafe-entry'
  /** The requested tag or blob is not in the source. */
  | 'not-found'
  /** The source holds several images and no tag was given, or the tag matches several. */
  | 'ambiguous'
  /** Content does not hash to the digest that names it. */
  | 'digest-mismatch';

/** A problem with a local image source; `code` says which, the message names the file and the entry. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';

  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when `err` is an ArchiveError (with `code`, when given). */
  static is(err: unknown, code?: ArchiveErrorCode): err is ArchiveError {
    return err instanceof ArchiveError && (code === undefined || err.code === code);
  }
}
