/**
 * Parses the `tags` input: one rule a line, `key=value` fields separated by commas, in
 * docker/metadata-action's syntax. A line without `=` is a raw tag (`latest` = `type=raw,value=latest`).
 * Empty lines and lines starting with `#` are skipped. Every problem names the line and what was expected.
 *
 * Reference: https://github.com/docker/metadata-action#tags-input
 */
import { checkExpressions, SEMVER_VARIABLES } from './expressions';
import {
  COMMON_ATTRIBUTES, DEFAULT_PRIORITY, RULE_ATTRIBUTES, TagRuleError,
  type TagRule, type TagRuleCommon, type TagRuleType,
} from './tag-rule';

const TYPES = Object.keys(RULE_ATTRIBUTES) as TagRuleType[];

/** The rules used when the `tags` input is empty (see the README for why they differ from metadata-action). */
export const DEFAULT_TAG_RULES = [
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=sha',
].join('\n');

/**
 * Splits one line into fields at commas outside `"..."` and `{{...}}`. Double quotes group a value
 * with commas in it (`value="a,b"`); `""` inside quotes is one quote, as in CSV.
 */
export function splitFields(text: string, line: number): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === '{' && text[i + 1] === '{') { depth++; cur += '{{'; i++; }
    else if (c === '}' && text[i + 1] === '}' && depth > 0) { depth--; cur += '}}'; i++; }
    else if (c === ',' && depth === 0) { fields.push(cur); cur = ''; }
    else cur += c;
  }
  if (quoted) throw new TagRuleError('SYNTAX', line, `unterminated double quote in "${text}"`);
  fields.push(cur);
  return fields.map((f) => f.trim());
}

/** Reads `key=value` fields into a map; rejects duplicates and fields without `=`. */
function readAttributes(fields: string[], line: number): Map<string, string> {
  const attrs = new Map<string, string>();
  if (fields.length === 1 && fields[0] !== undefined && !fields[0].includes('=')) {
    attrs.set('type', 'raw').set('value', fields[0]);
    return attrs;
  }
  for (const field of fields) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    if (eq <= 0) throw new TagRuleError('SYNTAX', line, `expected key=value, got "${field}"`);
    const key = field.slice(0, eq).trim().toLowerCase();
    if (attrs.has(key)) throw new TagRuleError('SYNTAX', line, `${key}= given twice`);
    attrs.set(key, field.slice(eq + 1).trim());
  }
  return attrs;
}

function requireOneOf<T extends string>(attrs: Map<string, string>, key: string, accepted: readonly T[], line: number, fallback?: T): T {
  const v = attrs.get(key);
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined) throw new TagRuleError('MISSING_ATTRIBUTE', line, `${key}= is required; expected one of ${accepted.join(', ')}`);
  if (!(accepted as readonly string[]).includes(v)) {
    throw new TagRuleError('INVALID_VALUE', line, `${key}=${v} is not accepted; expected one of ${accepted.join(', ')}`);
  }
  return v as T;
}

function requireInteger(attrs: Map<string, string>, key: string, line: number, fallback: number, min: number, max: number): number {
  const v = attrs.get(key);
  if (v === undefined) return fallback;
  if (!/^-?\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new TagRuleError('INVALID_VALUE', line, `${key}=${v} is not accepted; expected an integer from ${min} to ${max}`);
  }
  return Number(v);
}

function checkText(value: string, key: string, line: number, extra: readonly string[] = []): string {
  const problem = checkExpressions(value, extra);
  if (problem) throw new TagRuleError('UNKNOWN_EXPRESSION', line, `${key}=${value}: ${problem}`);
  return value;
}

function readCommon(attrs: Map<string, string>, type: TagRuleType, line: number): TagRuleCommon {
  const enable = checkText(attrs.get('enable') ?? 'true', 'enable', line);
  if (!enable.includes('{{') && enable !== 'true' && enable !== 'false') {
    throw new TagRuleError('INVALID_VALUE', line, `enable=${enable} is not accepted; expected true, false or an expression such as {{is_default_branch}}`);
  }
  return {
    line,
    enable,
    priority: requireInteger(attrs, 'priority', line, DEFAULT_PRIORITY[type], -1_000_000, 1_000_000),
    prefix: checkText(attrs.get('prefix') ?? (type === 'sha' ? 'sha-' : type === 'ref' && attrs.get('event') === 'pr' ? 'pr-' : ''), 'prefix', line),
    suffix: checkText(attrs.get('suffix') ?? '', 'suffix', line),
  };
}

function requireText(attrs: Map<string, string>, key: string, line: number, example: string): string {
  const v = attrs.get(key);
  if (v === undefined || v === '') throw new TagRuleError('MISSING_ATTRIBUTE', line, `${key}= is required, e.g. ${example}`);
  return v;
}

/** Builds the typed rule for one line's attributes. */
function buildRule(attrs: Map<string, string>, line: number): TagRule {
  const rawType = attrs.get('type') ?? 'raw';
  if (!(TYPES as string[]).includes(rawType)) {
    throw new TagRuleError('UNKNOWN_TYPE', line, `type=${rawType} is not accepted; expected one of ${TYPES.join(', ')}`);
  }
  const type = rawType as TagRuleType;
  const accepted = [...COMMON_ATTRIBUTES, ...RULE_ATTRIBUTES[type]];
  for (const key of attrs.keys()) {
    if (!accepted.includes(key)) {
      throw new TagRuleError('UNKNOWN_ATTRIBUTE', line, `type=${type} does not take ${key}=; it takes ${accepted.join(', ')}`);
    }
  }
  const common = readCommon(attrs, type, line);
  switch (type) {
    case 'semver': {
      const pattern = checkText(requireText(attrs, 'pattern', line, 'pattern={{version}}'), 'pattern', line, SEMVER_VARIABLES);
      const value = attrs.has('value') ? checkText(attrs.get('value') ?? '', 'value', line) : undefined;
      const allowZero = requireOneOf(attrs, 'allow-zero', ['true', 'false'], line, 'false') === 'true';
      return { ...common, type, pattern, value, allowZero };
    }
    case 'sha':
      return {
        ...common, type,
        format: requireOneOf(attrs, 'format', ['short', 'long'], line, 'short'),
        length: requireInteger(attrs, 'length', line, 7, 4, 64),
      };
    case 'ref':
      return { ...common, type, event: requireOneOf(attrs, 'event', ['branch', 'tag', 'pr'], line) };
    case 'edge':
      return { ...common, type, branch: attrs.get('branch') || undefined };
    case 'schedule':
      return { ...common, type, pattern: checkText(attrs.get('pattern') || 'nightly', 'pattern', line) };
    case 'raw':
      return { ...common, type, value: checkText(requireText(attrs, 'value', line, 'value=latest'), 'value', line) };
  }
}

/**
 * Parses the `tags` input into rules. An input with no rules (empty or only comments) gives the
 * DEFAULT_TAG_RULES. Throws TagRuleError (and nothing else) for any line it cannot use.
 */
export function parseTagRules(input: string): TagRule[] {
  const rules: TagRule[] = [];
  const lines = input.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    rules.push(buildRule(readAttributes(splitFields(text, i + 1), i + 1), i + 1));
  });
  if (rules.length > 0) return rules;
  return parseTagRules(DEFAULT_TAG_RULES).map((r) => ({ ...r, line: 0 }));
}
