/** A bad Action input, found before any network call. The message names the input and the accepted values. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** The input name as in action.yml (`auth-type`). */
    readonly input: string,
    value: string | undefined,
    accepted: string | undefined,
    detail?: string,
  ) {
    const parts = [`input "${input}"`];
    if (value !== undefined) parts.push(value === '' ? 'is empty' : `"${value}" is not accepted`);
    if (detail) parts.push(detail);
    if (accepted) parts.push(`expected ${accepted}`);
    super(parts.join(': '));
  }

  static is(err: unknown): err is InputError {
    return err instanceof InputError;
  }
}
