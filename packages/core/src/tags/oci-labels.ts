/**
 * The eight OCI image annotations metadata-action generates, with `created` taken from
 * `SOURCE_DATE_EPOCH` when set so that rebuilds are reproducible (metadata-action#403).
 *
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.0/annotations.md
 * Reference: https://reproducible-builds.org/specs/source-date-epoch/
 */
import type { TagContext } from './tag-context';

export interface LabelOptions {
  /** The main version (ComputedTags.version). */
  version: string;
  now: Date;
  /** The `SOURCE_DATE_EPOCH` environment value; wins over `now` for `created`. */
  sourceDateEpoch?: string;
  /** User labels (`key=value` lines already split) that override the generated ones. */
  overrides?: Record<string, string>;
}

/**
 * Reads `SOURCE_DATE_EPOCH` (whole seconds since 1970 UTC). Undefined when unset or empty; throws a
 * RangeError naming the variable for anything else.
 */
export function parseSourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,12}$/.test(value.trim())) {
    throw new RangeError(`SOURCE_DATE_EPOCH="${value}" is not accepted; expected whole seconds since 1970-01-01 UTC`);
  }
  return new Date(Number(value.trim()) * 1000);
}

/** The OCI labels of an image, sorted by key. Empty values are left out. */
export function computeLabels(context: TagContext, options: LabelOptions): Record<string, string> {
  const created = parseSourceDateEpoch(options.sourceDateEpoch) ?? options.now;
  const generated: Record<string, string | undefined> = {
    'org.opencontainers.image.created': created.toISOString(),
    'org.opencontainers.image.description': context.description,
    'org.opencontainers.image.licenses': context.license,
    'org.opencontainers.image.revision': context.sha,
    'org.opencontainers.image.source': context.repositoryUrl,
    'org.opencontainers.image.title': context.repository?.split('/').pop(),
    'org.opencontainers.image.url': context.repositoryUrl,
    'org.opencontainers.image.version': options.version,
  };
  const merged = { ...generated, ...options.overrides };
  const out: Record<string, string> = {};
  for (const key of Object.keys(merged).sort()) {
    const v = merged[key];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

/**
 * The labels as annotations for the given levels (`manifest`, `index`, ...), as metadata-action writes
 * them: `manifest:org.opencontainers.image.title=app`.
 */
export function toAnnotations(labels: Record<string, string>, levels: readonly string[] = ['manifest']): string[] {
  return levels.flatMap((level) => Object.entries(labels).map(([k, v]) => `${level}:${k}=${v}`));
}
