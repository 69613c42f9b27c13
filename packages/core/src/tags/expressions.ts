/**
 * Handlebars-like `{{name}}` expressions inside rule attributes (metadata-action's "global expressions"
 * and the semver pattern variables). Validated when the rules are parsed, expanded when tags are computed.
 */
import { formatDate, isValidTimeZone } from './date-format';

/** Expressions usable in every attribute. */
export const GLOBAL_EXPRESSIONS = [
  'branch', 'tag', 'sha', 'base_ref', 'is_default_branch', 'is_not_default_branch', 'date', 'commit_date',
] as const;

/** Extra variables of `type=semver` patterns. */
export const SEMVER_VARIABLES = ['raw', 'version', 'major', 'minor', 'patch'] as const;

const EXPRESSION = /\{\{\s*([^{}]*?)\s*\}\}/g;
const DATE_CALL = /^(date|commit_date)\s+'([^']*)'(?:\s+tz='([^']*)')?$/;

/** One parsed expression body. */
type Expression = { kind: 'var'; name: string } | { kind: 'date'; which: 'date' | 'commit_date'; format: string; tz: string };

function parseExpression(body: string): Expression | string {
  const date = DATE_CALL.exec(body);
  if (date) {
    const tz = date[3] ?? 'UTC';
    if (!isValidTimeZone(tz)) return `unknown time zone tz='${tz}'`;
    return { kind: 'date', which: date[1] as 'date' | 'commit_date', format: date[2] ?? '', tz };
  }
  if (/^[a-z_]+$/.test(body)) return { kind: 'var', name: body };
  return `cannot read expression {{${body}}}`;
}

/**
 * Checks every `{{...}}` in `text`; returns a problem description or undefined when all are known.
 * `extra` lists variables allowed besides the global ones (the semver pattern variables).
 */
export function checkExpressions(text: string, extra: readonly string[] = []): string | undefined {
  const allowed = new Set<string>([...GLOBAL_EXPRESSIONS, ...extra]);
  for (const m of text.matchAll(EXPRESSION)) {
    const e = parseExpression(m[1] ?? '');
    if (typeof e === 'string') return e;
    if (e.kind === 'var' && (!allowed.has(e.name) || e.name === 'date' || e.name === 'commit_date')) {
      return `unknown expression {{${e.name}}}; expected one of ${[...allowed].filter((n) => n !== 'date' && n !== 'commit_date').map((n) => `{{${n}}}`).join(', ')} or {{date 'YYYYMMDD'}}`;
    }
  }
  if (/\{\{|\}\}/.test(text.replace(EXPRESSION, ''))) return 'unbalanced {{ or }}';
  return undefined;
}

/** Values the expressions expand to. */
export interface ExpressionValues {
  vars: Record<string, string>;
  now: Date;
  commitDate?: Date;
}

/** Replaces every `{{...}}` in `text`; unknown names (already rejected by checkExpressions) become ''. */
export function expandExpressions(text: string, values: ExpressionValues): string {
  return text.replace(EXPRESSION, (_all, body: string) => {
    const e = parseExpression(body);
    if (typeof e === 'string') return '';
    if (e.kind === 'var') return values.vars[e.name] ?? '';
    const when = e.which === 'commit_date' ? (values.commitDate ?? values.now) : values.now;
    return formatDate(when, e.format, e.tz);
  });
}
