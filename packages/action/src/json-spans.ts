/**
 * Where the members of a JSON object sit in the text, so the Docker config can be edited in place:
 * adding or removing one `auths` entry leaves every other byte of the user's file as it was.
 * The text must already be valid JSON (callers JSON.parse it first).
 */

/** One `"key": value` member of an object, with offsets into the text. */
export interface MemberSpan {
  key: string;
  /** Offset of the key's opening quote. */
  start: number;
  valueStart: number;
  /** Offset just past the value. */
  valueEnd: number;
}

/** An object's members and where its braces are. */
export interface ObjectSpan {
  open: number;
  /** Offset of the closing brace. */
  close: number;
  members: MemberSpan[];
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new SyntaxError('unterminated string');
}

/** Offset just past the value starting at `i` (after whitespace). */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (; i < text.length; i++) {
      const d = text[i];
      if (d === '"') { i = skipString(text, i) - 1; continue; }
      if (d === '{' || d === '[') depth++;
      if (d === '}' || d === ']') { depth--; if (depth === 0) return i + 1; }
    }
    throw new SyntaxError('unterminated object');
  }
  while (i < text.length && !/[\s,}\]]/.test(text[i] as string)) i++;
  return i;
}

/** The members of the object whose `{` is at `open`. */
export function objectSpan(text: string, open: number): ObjectSpan {
  if (text[open] !== '{') throw new SyntaxError(`expected { at ${open}`);
  const members: MemberSpan[] = [];
  let i = skipWhitespace(text, open + 1);
  while (text[i] !== '}') {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    const valueEnd = skipValue(text, valueStart);
    members.push({ key, start: i, valueStart, valueEnd });
    i = skipWhitespace(text, valueEnd);
    if (text[i] === ',') i = skipWhitespace(text, i + 1);
  }
  return { open, close: i, members };
}

/** The top-level object of a JSON document. */
export function rootSpan(text: string): ObjectSpan {
  return objectSpan(text, skipWhitespace(text, 0));
}

/**
 * Removes member `index` of `obj` together with one separating comma, so `{"a":1,"b":2}` minus `b` is
 * `{"a":1}` and minus `a` is `{"b":2}` (whitespace before the removed member goes with it).
 */
export function removeMember(text: string, obj: ObjectSpan, index: number): string {
  const m = obj.members[index] as MemberSpan;
  const prev = obj.members[index - 1];
  const next = obj.members[index + 1];
  if (prev) return text.slice(0, prev.valueEnd) + text.slice(m.valueEnd);
  if (next) return text.slice(0, m.start) + text.slice(next.start);
  // The only member: whitespace before it goes, whitespace after it stays (see insertMember).
  return text.slice(0, obj.open + 1) + text.slice(m.valueEnd);
}

/** Inserts `"key": value` as the first member of `obj`, indented like the next line of the file. */
export function insertMember(text: string, obj: ObjectSpan, key: string, valueText: string, indent: string): string {
  const member = `${JSON.stringify(key)}: ${valueText}`;
  const first = obj.members[0];
  if (first) {
    const lead = text.slice(obj.open + 1, first.start);
    return `${text.slice(0, obj.open + 1)}${lead}${member},${text.slice(obj.open + 1)}`;
  }
  // Whatever stood between the braces stays after the member, so removing it restores the text.
  return `${text.slice(0, obj.open + 1)}\n${indent}${member}${text.slice(obj.open + 1)}`;
}
