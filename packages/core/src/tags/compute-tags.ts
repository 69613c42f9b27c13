/**
 * Turns parsed tag rules and the run's context into tag names, the main version and `latest`.
 * Pure: time comes in as `now`, the repository's tags as `existingTags`.
 */
import type { SemVer } from 'semver';
import { expandExpressions, type ExpressionValues } from './expressions';
import { sanitizeTag } from './sanitize';
import { evaluateSemverRule, isHighestStable, parseVersion } from './semver-tags';
import {
  branchOf, commitShaOf, gitTagOf, isDefaultBranch, isPullRequest, prNumberOf, type TagContext,
} from './tag-context';
import type { TagRule } from './tag-rule';

export interface ComputeTagsOptions {
  /** The clock for `{{date}}` and schedule tags. */
  now: Date;
  /**
   * Tags already in the target repository. `latest` is added only when this run's version is at least
   * the highest stable semver among them. Undefined: treated as an empty repository.
   */
  existingTags?: readonly string[];
  /** `auto` (default): the rule above; `true`: always when any tag is produced; `false`: never. */
  latest?: 'auto' | 'true' | 'false';
  /** For pull requests, use the PR head commit instead of the merge commit for SHA tags. Default false. */
  prHeadSha?: boolean;
}

export interface ComputedTags {
  /** Valid, unique tag names, highest priority first, `latest` last. */
  tags: string[];
  /** The first tag produced (metadata-action's `version` output); '' when none. */
  version: string;
  /** Whether `latest` was added. */
  latest: boolean;
  /** Non-fatal notes: a git tag that is not semver, a value that sanitised to nothing, a skipped `0`. */
  warnings: string[];
}

interface RuleResult {
  values: string[];
  /** A stable or pre-release version this rule stands for, for `latest`. */
  version?: SemVer;
  warning?: string;
}

/** The expression values of a run (`{{branch}}`, `{{sha}}`, ...). */
export function expressionValues(context: TagContext, options: ComputeTagsOptions): ExpressionValues {
  const isDefault = isDefaultBranch(context);
  return {
    now: options.now,
    commitDate: context.commitDate,
    vars: {
      branch: branchOf(context) ?? '',
      tag: gitTagOf(context) ?? '',
      sha: commitShaOf(context, options.prHeadSha ?? false).slice(0, 7),
      base_ref: context.baseRef ?? '',
      is_default_branch: String(isDefault),
      is_not_default_branch: String(!isDefault),
    },
  };
}

/** The raw values (before prefix/suffix) of one rule. */
function evaluateRule(rule: TagRule, context: TagContext, values: ExpressionValues, options: ComputeTagsOptions): RuleResult {
  switch (rule.type) {
    case 'semver': {
      const out = evaluateSemverRule(rule, gitTagOf(context), values);
      if (out.kind === 'value') return { values: [out.value], version: out.version };
      if (out.kind === 'invalid') return { values: [], warning: `tags line ${rule.line}: "${out.input}" is not a semantic version (x.y.z); type=semver produced nothing` };
      if (out.kind === 'zero') return { values: [], warning: `tags line ${rule.line}: no bare major tag for a 0.x version (add allow-zero=true to get one)` };
      return { values: [] };
    }
    case 'sha': {
      const sha = commitShaOf(context, options.prHeadSha ?? false);
      return { values: sha ? [rule.format === 'long' ? sha : sha.slice(0, rule.length)] : [] };
    }
    case 'ref': {
      if (rule.event === 'branch') return { values: branchOf(context) ? [branchOf(context) as string] : [] };
      if (rule.event === 'tag') {
        const tag = gitTagOf(context);
        return tag ? { values: [tag], version: parseVersion(tag) } : { values: [] };
      }
      const pr = prNumberOf(context);
      return { values: isPullRequest(context) && pr !== undefined ? [String(pr)] : [] };
    }
    case 'edge': {
      const target = rule.branch ?? context.defaultBranch;
      return { values: target !== undefined && branchOf(context) === target ? ['edge'] : [] };
    }
    case 'schedule':
      return { values: context.eventName === 'schedule' ? [expandExpressions(rule.pattern, values)] : [] };
    case 'raw':
      return { values: [expandExpressions(rule.value, values)] };
  }
}

/** Whether `latest` goes on, given the versions the enabled rules stood for. */
function decideLatest(produced: boolean, versions: SemVer[], options: ComputeTagsOptions): boolean {
  const mode = options.latest ?? 'auto';
  if (mode !== 'auto') return mode === 'true' && produced;
  const stable = versions.filter((v) => v.prerelease.length === 0);
  return stable.some((v) => isHighestStable(v, options.existingTags ?? []));
}

/**
 * Computes the tags of a run. Rules run highest priority first (ties keep input order); disabled
 * rules (`enable=` not `true`) produce nothing. Never throws for rules that parseTagRules accepted.
 */
export function computeTags(rules: readonly TagRule[], context: TagContext, options: ComputeTagsOptions): ComputedTags {
  const values = expressionValues(context, options);
  const ordered = rules.map((r, i) => ({ r, i })).sort((a, b) => b.r.priority - a.r.priority || a.i - b.i).map((x) => x.r);
  const tags: string[] = [];
  const warnings: string[] = [];
  const versions: SemVer[] = [];
  for (const rule of ordered) {
    if (expandExpressions(rule.enable, values).trim() !== 'true') continue;
    const result = evaluateRule(rule, context, values, options);
    if (result.warning) warnings.push(result.warning);
    if (result.version && result.values.length > 0) versions.push(result.version);
    for (const v of result.values) {
      const tag = sanitizeTag(`${expandExpressions(rule.prefix, values)}${v}${expandExpressions(rule.suffix, values)}`);
      if (tag === undefined) warnings.push(`tags line ${rule.line}: "${v}" has no characters a tag may hold; skipped`);
      else if (!tags.includes(tag)) tags.push(tag);
    }
  }
  const latest = decideLatest(tags.length > 0, versions, options);
  const version = tags[0] ?? '';
  if (latest && !tags.includes('latest')) tags.push('latest');
  return { tags, version, latest, warnings };
}
