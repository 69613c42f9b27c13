import { describe, expect, test } from 'vitest';
import { createIgnoreMatcher, DockerignoreError } from '../../src/build/dockerignore';

const excludes = (pattern: string, path: string) => createIgnoreMatcher([pattern]).excludes(path);

// Where Go's regexp (which Docker runs) and JavaScript's RegExp (which this matcher used to run) disagree,
// the linear matcher follows Go.
describe('the linear matcher reads moby regexps as Go does', () => {
  test.each([
    ['? matches one code point, as Go matches runes', 'a?b', 'a\u{1F600}b', true],
    ['* spans astral code points', 'a*b', 'a\u{1F600}\u{1F600}b', true],
    ['a character class matches an astral code point', '[\u{1F600}x]', '\u{1F600}', true],
    ['POSIX classes inside brackets', 'v[[:digit:]]', 'v7', true],
    ['POSIX classes reject other characters', 'v[[:digit:]]', 'vx', false],
    ['\\d is an ASCII digit', 'v\\d', 'v7', true],
    ['\\. is a literal dot', 'a\\.b', 'axb', false],
    ['a ^ in the middle of a regexp pattern is an anchor that never holds', 'a^*', 'a^b', false],
    ['** in the middle crosses directories', 'a/**/b/*.js', 'a/x/y/b/c.js', true],
    ['* does not cross a /', 'a/*.js', 'a/x/c.js', false],
    ['a * inside brackets becomes Go class text (moby quirk)', 'a[*]', 'a^^]', true],
  ])('%s', (_name, pattern, path, expected) => {
    expect(excludes(pattern, path)).toBe(expected);
  });

  test.each([['\\q'], ['a\\1'], ['[z-a]']])('%j, which Go\'s regexp refuses, is a DockerignoreError', (pattern) => {
    expect(() => createIgnoreMatcher([pattern])).toThrow(DockerignoreError);
  });
});
