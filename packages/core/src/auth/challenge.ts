/**
 * Parsing `WWW-Authenticate` (RFC 9110 §11.6.1): several challenges in one header, quoted values with
 * escapes and commas, token68. Lenient by design: it never throws, it returns what it could read.
 *
 * Reference: https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 * Reference: https://distribution.github.io/distribution/spec/auth/token/
 */

/** One challenge. `scheme` is lower-cased (`bearer`, `basic`); parameter names are lower-cased too. */
export interface Challenge {
  scheme: string;
  /** Parameters (`realm`, `service`, `scope`, `error`). A null-prototype object: keys are data. */
  params: Record<string, string>;
  /** The token68 form (`Negotiate abc==`), when the challenge used it instead of parameters. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_RUN = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses a WWW-Authenticate header value into its challenges, in order. Unparsable fragments are
 * skipped; an empty or missing header gives an empty list. Never throws.
 */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  if (typeof header !== 'string') return [];
  const s = header;
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  let pos = 0;

  const skip = (re: RegExp) => {
    while (pos < s.length && re.test(s[pos] as string)) pos++;
  };
  const readToken = (): string => {
    const start = pos;
    while (pos < s.length && TCHAR.test(s[pos] as string)) pos++;
    return s.slice(start, pos);
  };

  while (pos < s.length) {
    skip(/[\s,]/);
    if (pos >= s.length) break;
    const name = readToken();
    if (name === '') {
      pos++; // a character no grammar rule allows here: skip it
      continue;
    }
    skip(/[ \t]/);
    if (current && s[pos] === '=') {
      pos++;
      skip(/[ \t]/);
      const value = s[pos] === '"' ? readQuoted() : readBare();
      const key = name.toLowerCase();
      if (!(key in current.params)) current.params[key] = value;
      continue;
    }
    current = { scheme: name.toLowerCase(), params: Object.create(null) as Record<string, string> };
    challenges.push(current);
    const token68 = readToken68();
    if (token68 !== undefined) current.token68 = token68;
  }
  return challenges;

  function readQuoted(): string {
    let out = '';
    pos++; // opening quote
    while (pos < s.length) {
      const c = s[pos] as string;
      if (c === '\\' && pos + 1 < s.length) {
        out += s[pos + 1];
        pos += 2;
      } else if (c === '"') {
        pos++;
        break;
      } else {
        out += c;
        pos++;
      }
    }
    return out;
  }

  /** An unquoted value: a token by the RFC, but registries send bare URLs, so read up to a comma. */
  function readBare(): string {
    const start = pos;
    while (pos < s.length && s[pos] !== ',' && !/\s/.test(s[pos] as string)) pos++;
    return s.slice(start, pos);
  }

  /** `Scheme token68`: a run of token68 characters followed by a comma or the end. */
  function readToken68(): string | undefined {
    const match = TOKEN68_RUN.exec(s.slice(pos));
    if (!match) return undefined;
    const after = s.slice(pos + match[0].length).trimStart();
    if (after !== '' && !after.startsWith(',')) return undefined;
    pos += match[0].length;
    return match[0];
  }
}

/** The first Bearer challenge that names a realm, if any. */
export function findBearerChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer' && typeof c.params.realm === 'string' && c.params.realm !== '');
}

/** The first Basic challenge, if any. */
export function findBasicChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'basic');
}
