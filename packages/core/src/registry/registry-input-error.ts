/**
 * Bad input to a registry call, found before any request is sent: a malformed digest, tag, host or
 * repository name, or an option out of range.
 */
export type RegistryInputField = 'registry' | 'repository' | 'tag' | 'digest' | 'option';

/** Names the field and quotes the value, e.g. `invalid tag "v 1": tag contains " "`. */
export class RegistryInputError extends Error {
  override readonly name = 'RegistryInputError';

  constructor(
    readonly field: RegistryInputField,
    readonly input: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`invalid ${field} ${JSON.stringify(input)}: ${reason}`, { cause });
  }

  /** True when `err` is a RegistryInputError (about `field`, when given). */
  static is(err: unknown, field?: RegistryInputField): err is RegistryInputError {
    return err instanceof RegistryInputError && (field === undefined || err.field === field);
  }
}
