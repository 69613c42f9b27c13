/**
 * A linear-time matcher for the small regular-expression dialect moby/patternmatcher emits when it
 * compiles a `.dockerignore` glob: literals, `\c` escapes, `.`, `[...]` classes, `*`/`?` after an
 * atom, `^`, and the optional any-directories group that `**` becomes. Docker runs that text through Go's RE2 engine, which is
 * linear; JavaScript's RegExp backtracks, so `*a*a*a…b` or ten `**` in a row took seconds to minutes on a
 * hostile context. This runs a Thompson-style state-set simulation instead: O(pattern × path), never
 * exponential. It matches code points (as Go matches runes), and `.` excludes only `\n` (as in Go).
 */
import { DockerignoreError } from './dockerignore-error';

type CharTest = (ch: string) => boolean;
type Atom =
  | { kind: 'char'; test: CharTest; repeat: boolean; optional: boolean }
  | { kind: 'assert'; test: (prev: string | undefined, next: string | undefined) => boolean }
  | { kind: 'dirs' }; // `(.*/)?`: nothing, or anything ending in `/`

const DIRS = '(.*/)?';
const isWord = (ch: string | undefined) => ch !== undefined && /^[0-9A-Za-z_]$/.test(ch);
/** Go's Perl classes are ASCII-only. */
const PERL_CLASSES: Record<string, CharTest> = {
  d: (c) => c >= '0' && c <= '9',
  s: (c) => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r',
  w: (c) => isWord(c),
};
const CONTROL: Record<string, string> = { a: '\x07', f: '\f', t: '\t', n: '\n', r: '\r', v: '\v' };
/** Go's `[:name:]` classes as JavaScript class bodies. */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/**
 * Compiles the body of a moby pattern regexp (without its `^` and `$` anchors) into a full-match predicate.
 * Throws DockerignoreError (naming `source`) where Go's regexp would refuse the text.
 */
export function compileLinearRegExp(source: string, body: string): (text: string) => boolean {
  const atoms = parseBody(source, Array.from(body));
  return (text) => run(atoms, Array.from(text));
}

function parseBody(source: string, cs: string[]): Atom[] {
  const atoms: Atom[] = [];
  const bad = () => new DockerignoreError(source);
  for (let i = 0; i < cs.length; ) {
    if (cs.slice(i, i + DIRS.length).join('') === DIRS) {
      atoms.push({ kind: 'dirs' });
      i += DIRS.length;
      continue;
    }
    const ch = cs[i]!;
    let atom: Atom;
    if (ch === '.') {
      atom = char((c) => c !== '\n');
      i++;
    } else if (ch === '^') {
      atom = { kind: 'assert', test: (prev) => prev === undefined };
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= cs.length) throw bad();
      atom = escape(cs[i + 1]!, bad);
      i += 2;
    } else if (ch === '[') {
      const end = classEnd(cs, i, bad);
      atom = char(classTest(cs.slice(i + 1, end), bad));
      i = end + 1;
    } else if (ch === '*' || ch === '?' || ch === '(' || ch === ')' || ch === '|' || ch === '+' || ch === '{') {
      throw bad(); // a quantifier with nothing to repeat, or syntax moby never emits unescaped
    } else {
      atom = char((c) => c === ch);
      i++;
    }
    if (cs[i] === '*' || cs[i] === '?') {
      if (atom.kind !== 'char') throw bad();
      if (cs[i] === '*') atom.repeat = true;
      else atom.optional = true;
      i++;
    }
    atoms.push(atom);
  }
  return atoms;
}

function char(test: CharTest): Atom & { kind: 'char' } {
  return { kind: 'char', test, repeat: false, optional: false };
}

/** `\c` as Go's regexp reads it; escapes Go refuses (and the rare multi-character forms) are bad. */
function escape(c: string, bad: () => Error): Atom {
  if (!/^[0-9A-Za-z]$/.test(c)) return char((x) => x === c);
  const perl = PERL_CLASSES[c.toLowerCase()];
  if (perl) return char(c === c.toLowerCase() ? perl : (x) => !perl(x));
  if (CONTROL[c]) return char((x) => x === CONTROL[c]);
  if (c === 'b' || c === 'B') {
    const want = c === 'b';
    return { kind: 'assert', test: (prev, next) => (isWord(prev) !== isWord(next)) === want };
  }
  if (c === 'A') return { kind: 'assert', test: (prev) => prev === undefined };
  if (c === 'z') return { kind: 'assert', test: (_prev, next) => next === undefined };
  throw bad();
}

/** Index of the `]` closing the class opened at `start` (Go: a `]` first in the class is literal). */
function classEnd(cs: string[], start: number, bad: () => Error): number {
  let j = start + 1;
  if (cs[j] === '^') j++;
  if (cs[j] === ']') j++;
  while (j < cs.length) {
    if (cs[j] === '\\') j += 2;
    else if (cs[j] === '[' && cs[j + 1] === ':') {
      const close = cs.join('').indexOf(':]', j + 2);
      j = close < 0 ? j + 1 : close + 2;
    } else if (cs[j] === ']') return j;
    else j++;
  }
  throw bad();
}

/** A one-character test for a class body; JavaScript's class syntax agrees with Go's once POSIX names are mapped. */
function classTest(inner: string[], bad: () => Error): CharTest {
  let js = '';
  for (let j = 0; j < inner.length; j++) {
    const c = inner[j]!;
    const posix = c === '[' && inner[j + 1] === ':' ? /^\[:(\w+):\]/.exec(inner.slice(j).join('')) : null;
    if (posix && POSIX[posix[1]!]) {
      js += POSIX[posix[1]!];
      j += posix[0].length - 1;
    } else if (c === '\\') {
      js += `\\${inner[++j] ?? ''}`;
    } else if (c === ']' || c === '[' || c === '/') {
      js += `\\${c}`; // literal here in Go; escaped so JavaScript's unicode mode agrees
    } else js += c;
  }
  let re: RegExp;
  try {
    re = new RegExp(`^[${js}]$`, 'u');
  } catch {
    try {
      re = new RegExp(`^[${js}]$`); // escapes like `\!` are valid only outside unicode mode
    } catch (cause) {
      throw Object.assign(bad(), { cause });
    }
  }
  return (ch) => re.test(ch);
}

/** Simulates all paths through the atoms at once; each state is visited once per character. */
function run(atoms: Atom[], text: string[]): boolean {
  const n = atoms.length;
  let at = new Uint8Array(n + 1);
  let inDirs = new Uint8Array(n);
  at[0] = 1;
  for (let pos = 0; ; pos++) {
    const prev = text[pos - 1];
    const next = text[pos];
    // Epsilon moves only go forward, so one ascending pass is the closure.
    for (let i = 0; i < n; i++) {
      if (!at[i]) continue;
      const atom = atoms[i]!;
      if (atom.kind === 'dirs') {
        inDirs[i] = 1;
        at[i + 1] = 1;
      } else if (atom.kind === 'assert') {
        if (atom.test(prev, next)) at[i + 1] = 1;
      } else if (atom.repeat || atom.optional) at[i + 1] = 1;
    }
    if (next === undefined) return at[n] === 1;
    const nextAt = new Uint8Array(n + 1);
    const nextDirs = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const atom = atoms[i]!;
      if (at[i] && atom.kind === 'char' && atom.test(next)) nextAt[atom.repeat ? i : i + 1] = 1;
      if (inDirs[i]) {
        if (next !== '\n') nextDirs[i] = 1;
        if (next === '/') nextAt[i + 1] = 1;
      }
    }
    if (!nextAt.includes(1) && !nextDirs.includes(1)) return false;
    at = nextAt;
    inDirs = nextDirs;
  }
}
