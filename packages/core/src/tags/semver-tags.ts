/**
 * `type=semver` evaluation and the "highest stable version" test behind `latest`.
 * Uses node-semver, strict (a leading `v` is accepted; `v1.2` is not a version, as in metadata-action).
 */
import semver, { type SemVer } from 'semver';
import { expandExpressions, type ExpressionValues } from './expressions';
import type { SemverRule } from './tag-rule';

/** Parses a git tag or `value=` as strict semver after `/` → `-` (metadata-action does the same). */
export function parseVersion(text: string): SemVer | undefined {
  return semver.parse(text.trim().replace(/\//g, '-')) ?? undefined;
}

/** `major.minor.patch[-pre]` without `v` and without build metadata. */
export function fullVersion(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease.length > 0 ? `-${v.prerelease.join('.')}` : ''}`;
}

/** Whether the pattern names the major version and nothing more precise (`{{major}}`, `v{{major}}`). */
function onlyMajor(pattern: string): boolean {
  return /\{\{\s*major\s*\}\}/.test(pattern) && !/\{\{\s*(minor|patch|version|raw)\s*\}\}/.test(pattern);
}

/** The outcome of one semver rule: the value before prefix/suffix, or why there is none. */
export type SemverOutcome =
  | { kind: 'value'; value: string; version: SemVer }
  | { kind: 'none' }
  | { kind: 'invalid'; input: string }
  | { kind: 'zero' };

/**
 * Evaluates one semver rule against the git tag (or its `value=`). Pre-releases collapse every pattern
 * to the full version (or `{{raw}}` when the pattern is exactly that) so `{{major}}` never moves to a
 * pre-release; `{{major}}`-only patterns give nothing for 0.x unless `allow-zero=true`.
 */
export function evaluateSemverRule(rule: SemverRule, gitTag: string | undefined, values: ExpressionValues): SemverOutcome {
  const input = rule.value !== undefined ? expandExpressions(rule.value, values) : gitTag;
  if (input === undefined || input.trim() === '') return { kind: 'none' };
  const version = parseVersion(input);
  if (!version) return { kind: 'invalid', input };
  let pattern = rule.pattern;
  if (version.prerelease.length > 0) pattern = pattern.trim() === '{{raw}}' ? '{{raw}}' : '{{version}}';
  if (version.major === 0 && !rule.allowZero && onlyMajor(pattern)) return { kind: 'zero' };
  const vars = {
    ...values.vars,
    raw: input,
    version: fullVersion(version),
    major: String(version.major),
    minor: String(version.minor),
    patch: String(version.patch),
  };
  return { kind: 'value', value: expandExpressions(pattern, { ...values, vars }), version };
}

/**
 * Whether `candidate` (a stable version) is at least as high as every stable version among
 * `existingTags` (tags that are not semver, such as `1.2`, `latest` or `sha-abc`, are ignored).
 * A backport `1.9.3` after `2.0.0` is not the highest, so it does not get `latest`.
 */
export function isHighestStable(candidate: SemVer, existingTags: readonly string[]): boolean {
  if (candidate.prerelease.length > 0) return false;
  for (const tag of existingTags) {
    const v = semver.parse(tag);
    if (v && v.prerelease.length === 0 && semver.gt(v, candidate)) return false;
  }
  return true;
}
