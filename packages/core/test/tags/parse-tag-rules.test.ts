import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { computeTags } from '../../src/tags/compute-tags';
import { DEFAULT_TAG_RULES, parseTagRules, splitFields } from '../../src/tags/parse-tag-rules';
import { TagRuleError } from '../../src/tags/tag-rule';

describe('parseTagRules', () => {
  test('empty input and comments give the default set', () => {
    expect(parseTagRules('  \n# nothing\n').map((r) => r.type)).toEqual(parseTagRules(DEFAULT_TAG_RULES).map((r) => r.type));
  });

  test('reads attributes, defaults and line numbers', () => {
    const [sha, pr] = parseTagRules('\ntype=sha,format=long,priority=5\n type = ref , event = pr ');
    expect(sha).toMatchObject({ type: 'sha', format: 'long', length: 7, priority: 5, prefix: 'sha-', line: 2 });
    expect(pr).toMatchObject({ type: 'ref', event: 'pr', prefix: 'pr-', priority: 600, line: 3 });
  });

  test('keeps commas inside quotes and expressions', () => {
    expect(splitFields(`type=raw,value="a,""b"""`, 1)).toEqual(['type=raw', 'value=a,"b"']);
    expect(splitFields(`type=schedule,pattern={{date 'YYYY,MM'}}`, 1)).toEqual(['type=schedule', `pattern={{date 'YYYY,MM'}}`]);
  });

  test.each([
    ['type=foo', 'UNKNOWN_TYPE', /tags line 1: type=foo is not accepted; expected one of semver, sha, ref, edge, schedule, raw/],
    ['type=semver', 'MISSING_ATTRIBUTE', /tags line 1: pattern= is required, e.g. pattern=\{\{version\}\}/],
    ['type=semver,pattern={{majr}}', 'UNKNOWN_EXPRESSION', /unknown expression \{\{majr\}\}; expected one of/],
    ['type=raw,value={{major}}', 'UNKNOWN_EXPRESSION', /unknown expression \{\{major\}\}/],
    ['type=ref', 'MISSING_ATTRIBUTE', /event= is required; expected one of branch, tag, pr/],
    ['type=ref,event=push', 'INVALID_VALUE', /event=push is not accepted; expected one of branch, tag, pr/],
    ['type=sha,format=medium', 'INVALID_VALUE', /format=medium .*short, long/],
    ['type=sha,length=3', 'INVALID_VALUE', /length=3 .*integer from 4 to 64/],
    ['type=sha,priority=high', 'INVALID_VALUE', /priority=high .*integer/],
    ['type=raw,value=x,enable=yes', 'INVALID_VALUE', /enable=yes .*true, false/],
    ['type=raw', 'MISSING_ATTRIBUTE', /value= is required/],
    ['type=sha,pattern=x', 'UNKNOWN_ATTRIBUTE', /type=sha does not take pattern=; it takes type, enable, priority, prefix, suffix, format, length/],
    ['type=raw,value=a,value=b', 'SYNTAX', /value= given twice/],
    ['type=raw,justtext', 'SYNTAX', /expected key=value, got "justtext"/],
    ['type=raw,value="open', 'SYNTAX', /unterminated double quote/],
    ["type=schedule,pattern={{date 'YYYY' tz='Mars/Base'}}", 'UNKNOWN_EXPRESSION', /unknown time zone tz='Mars\/Base'/],
    ['type=raw,value=a}}b', 'UNKNOWN_EXPRESSION', /unbalanced/],
  ] as const)('rejects %s', (line, code, message) => {
    const err = (() => { try { parseTagRules(`# header\n${line}`); } catch (e) { return e; } })();
    expect(TagRuleError.is(err, code)).toBe(true);
    expect((err as Error).message.replace('line 2', 'line 1')).toMatch(message);
    expect((err as TagRuleError).line).toBe(2);
  });
});

describe('parseTagRules fuzzing', () => {
  const alphabet = fc.constantFrom(
    'type=', 'semver', 'sha', 'ref', 'raw', 'edge', 'schedule', 'pattern=', 'value=', 'event=', 'branch', 'tag', 'pr',
    '{{version}}', '{{major}}', '{{', '}}', ',', '"', '\n', '=', ' ', 'enable=', 'true', 'false', 'priority=', '12', '-',
    'prefix=', 'suffix=', 'format=', 'long', 'length=', '#', '{{date \'YYYY\'}}', 'x', '/', '.', 'é', '\r\n',
  );
  const ruleText = fc.oneof(fc.string({ maxLength: 80 }), fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')));

  test('never crashes: returns rules or throws TagRuleError only; computed tags are valid', () => {
    fc.assert(fc.property(ruleText, fc.constantFrom('refs/heads/main', 'refs/tags/v1.2.3', 'refs/pull/3/merge'), (text, ref) => {
      let rules;
      try {
        rules = parseTagRules(text);
      } catch (e) {
        expect(e).toBeInstanceOf(TagRuleError);
        expect((e as Error).message).toMatch(/^tags line \d+: /);
        return;
      }
      const out = computeTags(rules, { eventName: 'push', ref, sha: 'abcdef0123456789', prNumber: 3 }, { now: new Date(0) });
      for (const t of out.tags) expect(t).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
    }), { numRuns: 2000 });
  });
});
