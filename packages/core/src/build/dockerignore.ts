/**
 * `.dockerignore` reading and matching with Docker's exact semantics. A port of
 * moby/patternmatcher (`New`, `Pattern.compile`, `MatchesOrParentMatches`) and of
 * moby/patternmatcher/ignorefile `ReadAll`, rather than `@balena/dockerignore`, because that library
 * matches case-insensitively by default, leaves the regexp metacharacters `+ ( ) | { }` unescaped
 * (`a+b.txt` matches `aab.txt`, `(` throws), keeps a UTF-8 BOM in the first pattern and lacks
 * moby's prefix/suffix fast paths (`**foo` matches `barfoo` in Docker). The regexp moby builds is
 * run by `linear-regexp.ts` rather than RegExp, so hostile patterns cannot backtrack for minutes.
 *
 * Reference: https://docs.docker.com/build/concepts/context/#dockerignore-files and
 * https://github.com/moby/patternmatcher/blob/main/patternmatcher.go
 */
import { posix } from 'node:path';
import { DockerignoreError } from './dockerignore-error';
import { compileLinearRegExp } from './linear-regexp';

export { DockerignoreError };

/**
 * Parses the text of a `.dockerignore` file into patterns as Docker's `ReadAll` does: drops a UTF-8
 * BOM, comment lines (`#` in the first column), blank lines; trims; cleans each path (`./a/../b` →
 * `b`, `dir/` → `dir`) and drops one leading `/`, keeping a leading `!`.
 */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  }
  return patterns;
}

/** Go's `filepath.Clean` on a slash path (Node's normalize plus the trailing-slash and empty cases). */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const cleaned = posix.normalize(path);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface Pattern {
  source: string;
  cleaned: string;
  exclusion: boolean;
  type: MatchType;
  /** Full-match test of moby's regexp for the pattern, run without backtracking. */
  regexp?: (path: string) => boolean;
}

/** Decides whether a context path is excluded by a list of `.dockerignore` patterns. */
export interface IgnoreMatcher {
  /** True when `path` (slash-separated, relative to the context) is excluded. `.` is never excluded. */
  excludes(path: string): boolean;
  /** Whether any `!` exception exists (an excluded directory must then still be walked). */
  readonly hasExceptions: boolean;
}

/** Compiles patterns (as `parseDockerignore` returns them). Throws DockerignoreError on a bad pattern. */
export function createIgnoreMatcher(patterns: readonly string[]): IgnoreMatcher {
  const compiled: Pattern[] = [];
  for (const raw of patterns) {
    let p = raw.trim();
    if (p === '') continue;
    p = cleanPath(p);
    let exclusion = false;
    if (p.startsWith('!')) {
      if (p.length === 1) throw new DockerignoreError(raw);
      exclusion = true;
      p = p.slice(1);
    }
    compiled.push(compilePattern(raw, p, exclusion));
  }
  return {
    hasExceptions: compiled.some((p) => p.exclusion),
    excludes: (path) => matchesOrParentMatches(compiled, cleanPath(path)),
  };
}

function matchesOrParentMatches(patterns: Pattern[], file: string): boolean {
  // "Don't let them exclude everything, kind of silly." (moby)
  if (file === '.') return false;
  const parent = posix.dirname(file);
  const parentDirs = parent.split('/');
  let matched = false;
  for (const pattern of patterns) {
    // An inclusion is skipped once matched, an exception until something matched.
    if (pattern.exclusion !== matched) continue;
    let match = matchOne(pattern, file);
    if (!match && parent !== '.') {
      for (let i = 1; i <= parentDirs.length && !match; i++) {
        match = matchOne(pattern, parentDirs.slice(0, i).join('/'));
      }
    }
    if (match) matched = !pattern.exclusion;
  }
  return matched;
}

function matchOne(p: Pattern, path: string): boolean {
  switch (p.type) {
    case 'exact':
      return path === p.cleaned;
    case 'prefix':
      return path.startsWith(p.cleaned.slice(0, -2));
    case 'suffix': {
      const suffix = p.cleaned.slice(2);
      // `**/foo` also matches `foo` itself.
      return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    case 'regexp':
      return p.regexp!(path);
  }
}

/** Regexp metacharacters that mean nothing in Go's filepath.Match (moby `shouldEscape`). */
const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

function compilePattern(source: string, cleaned: string, exclusion: boolean): Pattern {
  const { body, type } = translate(cleaned);
  const pattern: Pattern = { source, cleaned, exclusion, type };
  validateGlob(source, cleaned);
  // moby hands `^body$` to Go's linear regexp engine; RegExp would backtrack exponentially here.
  if (type === 'regexp') pattern.regexp = compileLinearRegExp(source, body);
  return pattern;
}

/**
 * The regexp moby/patternmatcher builds for a cleaned pattern (`^…$`), or undefined when moby
 * matches it exactly or by prefix/suffix instead. For tests and diagnostics; matching never runs it.
 */
export function mobyRegExpSource(cleanedPattern: string): string | undefined {
  const { body, type } = translate(cleanedPattern);
  return type === 'regexp' ? `^${body}$` : undefined;
}

/** moby's `Pattern.compile`: the regexp text and the match type. */
function translate(cleaned: string): { body: string; type: MatchType } {
  let re = '';
  let type: MatchType = 'exact';
  const chars = [...cleaned];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        const start = i;
        i++;
        if (chars[i + 1] === '/') i++; // `**/` is treated as `**`
        if (i + 1 >= chars.length) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (start === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (i + 1 < chars.length) {
        re += `\\${chars[++i]}`;
        type = 'regexp';
      } else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  return { body: re, type };
}

/** The syntax errors Go's `filepath.Match` reports: unclosed `[`, empty class, trailing `\`. */
function validateGlob(source: string, pattern: string): void {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      if (i >= pattern.length) throw new DockerignoreError(source);
    } else if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') throw new DockerignoreError(source);
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) throw new DockerignoreError(source);
      i = j;
    }
  }
}
