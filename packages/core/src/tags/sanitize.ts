/**
 * Registry-safe names. A tag is `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}` (distribution reference grammar);
 * metadata-action only replaces bad characters and so emits invalid tags for long or `.`-leading branch
 * names (users truncate downstream). We fix all three.
 *
 * Reference: https://github.com/distribution/reference/blob/main/reference.go (tag grammar)
 */

/** Longest tag the distribution grammar allows. */
export const MAX_TAG_LENGTH = 128;

/**
 * Makes `value` a valid tag: every run of characters outside `[A-Za-z0-9_.-]` becomes one `-`, leading
 * `.` and `-` are dropped, and the result is cut to 128 characters. Undefined when nothing is left.
 */
export function sanitizeTag(value: string): string | undefined {
  const cleaned = value
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG_LENGTH);
  return cleaned === '' ? undefined : cleaned;
}

/** Repository names must be lower-case; GitHub `owner/Name` often is not. */
export function sanitizeImageName(name: string): string {
  return name.trim().toLowerCase();
}
