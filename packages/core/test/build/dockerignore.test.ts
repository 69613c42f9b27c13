import dockerignore from '@balena/dockerignore';
import { describe, expect, test } from 'vitest';
import { createIgnoreMatcher, DockerignoreError, parseDockerignore } from '../../src/build/dockerignore';

function excludes(file: string, path: string): boolean {
  return createIgnoreMatcher(parseDockerignore(file)).excludes(path);
}

// Cases from Docker's documentation (docs.docker.com/build/concepts/context/#dockerignore-files) and
// from moby/patternmatcher's behaviour (MatchesOrParentMatches, compile's match types).
const cases: Array<[string, string, string, boolean]> = [
  ['docs: */temp* excludes a file in a first-level dir', '*/temp*', 'somedir/temporary.txt', true],
  ['docs: */temp* excludes a directory in a first-level dir', '*/temp*', 'somedir/temp', true],
  ['docs: */temp* keeps temp files at the root', '*/temp*', 'temporary.txt', false],
  ['docs: */temp* does not reach two levels down', '*/temp*', 'a/b/temp.txt', false],
  ['docs: */*/temp* excludes two levels down', '*/*/temp*', 'somedir/subdir/temporary.txt', true],
  ['docs: temp? matches one character', 'temp?', 'tempa', true],
  ['docs: temp? does not match two characters', 'temp?', 'tempab', false],
  ['docs: **/*.go matches at the root', '**/*.go', 'main.go', true],
  ['docs: **/*.go matches at any depth', '**/*.go', 'a/b/c/x.go', true],
  ['docs: *.md with !README.md keeps README.md', '*.md\n!README.md', 'README.md', false],
  ['docs: *.md with !README.md excludes other md', '*.md\n!README.md', 'CHANGELOG.md', true],
  ['docs: last rule wins (exception before exclusion)', '*.md\n!README*.md\nREADME-secret.md', 'README-secret.md', true],
  ['docs: last rule wins (exception after exclusion)', '*.md\nREADME-secret.md\n!README*.md', 'README-secret.md', false],
  ['docs: leading / is the context root', '/foo/bar', 'foo/bar', true],
  ['cleaning: ./ and .. are cleaned', './foo/../bar', 'bar', true],
  ['cleaning: trailing / still matches a directory', 'build/', 'build', true],
  ['a directory pattern excludes what is inside', 'build', 'build/out/app.js', true],
  ['patterns are anchored at the root', 'build', 'src/build', false],
  ['exception inside an excluded directory', 'dist\n!dist/keep.txt', 'dist/keep.txt', false],
  ['exception directory re-includes its subtree', 'dist\n!dist/keep', 'dist/keep/deep/file', false],
  ['trailing ** is a prefix match', 'logs/**', 'logs/a/b.log', true],
  ['leading ** without slash is a suffix match (moby fast path)', '**foo', 'barfoo', true],
  ['**/name matches the name at the root', '**/node_modules', 'node_modules', true],
  ['**/name matches an ancestor directory', '**/node_modules', 'pkg/node_modules/x/index.js', true],
  ['middle ** matches zero directories', 'a/**/z', 'a/z', true],
  ['middle ** matches several directories', 'a/**/z', 'a/b/c/z', true],
  ['matching is case-sensitive', '*.MD', 'readme.md', false],
  ['+ is a literal character', 'a+b.txt', 'aab.txt', false],
  ['+ matches itself', 'a+b.txt', 'a+b.txt', true],
  ['parentheses are literal', 'file(1).txt', 'file(1).txt', true],
  ['. is literal, not any character', 'a.txt', 'abtxt', false],
  ['character class', '[abc].txt', 'b.txt', true],
  ['negated character class', '[^abc].txt', 'b.txt', false],
  ['escaped star matches a literal star', '\\*.txt', '*.txt', true],
  ['escaped star does not glob', '\\*.txt', 'x.txt', false],
  ['comments in column 1 are ignored', '# secret.txt', 'secret.txt', false],
  ['a # after leading spaces is a pattern', '  #secret.txt', '#secret.txt', true],
  ['a UTF-8 BOM is dropped', '\uFEFFsecret.txt', 'secret.txt', true],
  ['CRLF line endings', 'a.txt\r\nb.txt\r\n', 'b.txt', true],
  ['whitespace around ! is trimmed', '*.log\n ! keep.log ', 'keep.log', false],
  ['* excludes everything below via parents', '*', 'a/b/c', true],
  ['the context root is never excluded', '*', '.', false],
  ['exception cannot re-include below an excluded parent rule applied later', '!a/b\na', 'a/b', true],
];

describe('.dockerignore semantics (Docker documentation and moby/patternmatcher)', () => {
  test('the table has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));
  test.each(cases)('%s', (_name, file, path, expected) => {
    expect(excludes(file, path)).toBe(expected);
  });
});

describe('bad patterns', () => {
  test.each([['!'], ['[abc'], ['[]a'], ['a\\']])('%j is refused with a DockerignoreError', (pattern) => {
    expect(() => createIgnoreMatcher([pattern])).toThrow(DockerignoreError);
  });
});

describe('why not @balena/dockerignore as is', () => {
  // These are the deviations that made the matcher a port of moby rather than a wrapper.
  test('balena is case-insensitive by default, Docker is not', () => {
    expect(dockerignore().add('*.MD').ignores('readme.md')).toBe(true);
    expect(excludes('*.MD', 'readme.md')).toBe(false);
  });
  test('balena treats + as a regexp quantifier, Docker as a literal', () => {
    expect(dockerignore({ ignorecase: false }).add('a+b.txt').ignores('aab.txt')).toBe(true);
    expect(excludes('a+b.txt', 'aab.txt')).toBe(false);
  });
  test('balena misses moby\'s **foo suffix match', () => {
    expect(dockerignore({ ignorecase: false }).add('**foo').ignores('barfoo')).toBe(false);
    expect(excludes('**foo', 'barfoo')).toBe(true);
  });
});
