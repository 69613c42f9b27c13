/** A pattern the matcher cannot compile (Go's `filepath.ErrBadPattern`, or a regexp Go would refuse). */
export class DockerignoreError extends Error {
  override name = 'DockerignoreError';
  readonly code = 'BAD_PATTERN' as const;
  constructor(readonly pattern: string, options?: { cause?: unknown }) {
    super(`.dockerignore pattern ${JSON.stringify(pattern)} is not a valid pattern (expected Go filepath.Match syntax)`, options);
  }
  static is(err: unknown): err is DockerignoreError {
    return err instanceof DockerignoreError;
  }
}
