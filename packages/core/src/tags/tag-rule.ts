/**
 * The tag rule model: one rule per line of the Action's `tags` input, in the syntax users know from
 * docker/metadata-action (`type=semver,pattern={{version}}`). Pure data; see `parse-tag-rules.ts`.
 *
 * Reference: https://github.com/docker/metadata-action#tags-input
 */

/** The rule kinds. `match` and `pep440` of metadata-action are not supported. */
export type TagRuleType = 'semver' | 'sha' | 'ref' | 'edge' | 'schedule' | 'raw';

/** What every rule takes besides its own attributes. */
export interface TagRuleCommon {
  /** The input line (1-based) this rule came from; 0 for built-in defaults. */
  line: number;
  /** `enable=` after expression expansion must be `true` or `false`. Default `true`. */
  enable: string;
  /** Higher first; the first produced value becomes the version. Default per type (see DEFAULT_PRIORITY). */
  priority: number;
  /** Prepended to every value this rule produces (may hold expressions). Default per type. */
  prefix: string;
  /** Appended to every value this rule produces (may hold expressions). Default `''`. */
  suffix: string;
}

export interface SemverRule extends TagRuleCommon {
  type: 'semver';
  /** E.g. `{{version}}`, `{{major}}.{{minor}}`, `v{{major}}`, `{{raw}}`. */
  pattern: string;
  /** A version to use instead of the git tag (may hold expressions). Undefined: only on `refs/tags/*`. */
  value?: string;
  /** Emit a bare `0` for `{{major}}` on v0.x versions. Default false (metadata-action emits it). */
  allowZero: boolean;
}

export interface ShaRule extends TagRuleCommon {
  type: 'sha';
  format: 'short' | 'long';
  /** Characters of the short SHA. Default 7 (metadata-action's default; git's default abbreviation). */
  length: number;
}

export interface RefRule extends TagRuleCommon {
  type: 'ref';
  event: 'branch' | 'tag' | 'pr';
}

export interface EdgeRule extends TagRuleCommon {
  type: 'edge';
  /** The branch whose pushes get `edge`. Undefined: the repository's default branch. */
  branch?: string;
}

export interface ScheduleRule extends TagRuleCommon {
  type: 'schedule';
  /** Default `nightly`; may hold `{{date 'YYYYMMDD'}}`. */
  pattern: string;
}

export interface RawRule extends TagRuleCommon {
  type: 'raw';
  value: string;
}

export type TagRule = SemverRule | ShaRule | RefRule | EdgeRule | ScheduleRule | RawRule;

/** metadata-action's priorities, so mixed rule sets order the same way. */
export const DEFAULT_PRIORITY: Record<TagRuleType, number> = {
  schedule: 1000,
  semver: 900,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

/** The attributes each rule type accepts (besides the common ones). */
export const RULE_ATTRIBUTES: Record<TagRuleType, readonly string[]> = {
  semver: ['pattern', 'value', 'allow-zero'],
  sha: ['format', 'length'],
  ref: ['event'],
  edge: ['branch'],
  schedule: ['pattern'],
  raw: ['value'],
};

/** The attributes every rule type accepts. */
export const COMMON_ATTRIBUTES = ['type', 'enable', 'priority', 'prefix', 'suffix'] as const;

/** Why a rule line was rejected. */
export type TagRuleErrorCode =
  | 'UNKNOWN_TYPE'
  | 'UNKNOWN_ATTRIBUTE'
  | 'MISSING_ATTRIBUTE'
  | 'INVALID_VALUE'
  | 'SYNTAX'
  | 'UNKNOWN_EXPRESSION';

/** A `tags` line that cannot be used. The message names the line and what was expected. */
export class TagRuleError extends Error {
  override readonly name = 'TagRuleError';
  constructor(
    readonly code: TagRuleErrorCode,
    /** 1-based line of the `tags` input. */
    readonly line: number,
    message: string,
  ) {
    super(`tags line ${line}: ${message}`);
  }

  static is(err: unknown, code?: TagRuleErrorCode): err is TagRuleError {
    return err instanceof TagRuleError && (code === undefined || err.code === code);
  }
}
