/**
 * Tag syntax from the distribution reference grammar: a word character first, then up to 127 more of
 * `[A-Za-z0-9_.-]` (128 characters in all).
 *
 * Reference: https://github.com/distribution/reference/blob/v0.6.0/reference.go
 */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The longest tag a registry accepts. */
export const TAG_MAX_LENGTH = 128;

/** True when `tag` is a syntactically valid tag (`v1.2.3`, `latest`, `sha-0a1b2c3`). */
export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}

/**
 * Says what is wrong with `tag`, or returns undefined when it is valid. Used for error messages that
 * name the offending character instead of repeating the pattern.
 */
export function describeInvalidTag(tag: string): string | undefined {
  if (tag === '') return 'tag is empty';
  if (tag.length > TAG_MAX_LENGTH) return `tag is ${tag.length} characters long, the maximum is ${TAG_MAX_LENGTH}`;
  if (!/^[A-Za-z0-9_]/.test(tag)) return `tag must start with a letter, digit or "_", not ${JSON.stringify(tag[0])}`;
  const bad = /[^A-Za-z0-9_.-]/.exec(tag);
  if (bad) return `tag contains ${JSON.stringify(bad[0])}; allowed are letters, digits, "_", "." and "-"`;
  return undefined;
}
