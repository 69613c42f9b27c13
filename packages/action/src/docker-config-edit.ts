/**
 * Adds and removes one `auths` entry of a Docker `config.json` text, editing in place so that the rest of
 * the user's file stays byte-for-byte as it was (login-action runs `docker logout`, which rewrites the
 * whole file; Azure/docker-login overwrites unparsable files). Pure: file I/O is in docker-config.ts.
 *
 * Reference: https://github.com/docker/cli/blob/v27.0.0/cli/config/configfile/file.go (the format)
 */
import { createHash } from 'node:crypto';
import { insertMember, objectSpan, removeMember, rootSpan, type ObjectSpan } from './json-spans';

/** What one login changed in the file; kept in the post-step state (the previous value goes to a file). */
export interface AuthEntryChange {
  host: string;
  /** SHA-256 (hex) of the exact value text written for `auths[host]`: not the secret itself. */
  writtenDigest: string;
  /** The value text that was there before; undefined when the entry was new. */
  previous?: string;
  /** Whether the file had no `auths` object and this login created it. */
  createdAuths: boolean;
}

/** A config.json that cannot be read as a JSON object; never overwritten. */
export class DockerConfigError extends Error {
  override readonly name = 'DockerConfigError';
}

/** SHA-256 hex of a value text, to recognise our entry later without keeping the secret. */
export function valueDigest(valueText: string): string {
  return createHash('sha256').update(valueText).digest('hex');
}

/** The value text of an entry: `{"auth": base64(user:secret)}`. */
export function authValue(username: string, secret: string): string {
  return JSON.stringify({ auth: Buffer.from(`${username}:${secret}`).toString('base64') });
}

function checkObject(text: string, file: string): void {
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch (e) {
    throw new DockerConfigError(`${file} is not valid JSON (${(e as Error).message}); fix or remove it, it was left as it is`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DockerConfigError(`${file} does not hold a JSON object; it was left as it is`);
  const auths = (parsed as Record<string, unknown>).auths;
  if (auths !== undefined && (auths === null || typeof auths !== 'object' || Array.isArray(auths))) {
    throw new DockerConfigError(`${file}: "auths" is not an object; it was left as it is`);
  }
}

function authsOf(text: string): { root: ObjectSpan; index: number; auths?: ObjectSpan } {
  const root = rootSpan(text);
  const index = root.members.findIndex((m) => m.key === 'auths');
  const member = root.members[index];
  return { root, index, auths: member ? objectSpan(text, member.valueStart) : undefined };
}

/** The indentation of the line holding offset `at`. */
function indentAt(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/** A new config.json holding one entry, formatted as the Docker CLI writes it. */
export function newConfigText(host: string, value: string): string {
  return `{\n\t"auths": {\n\t\t${JSON.stringify(host)}: ${value}\n\t}\n}\n`;
}

/** Sets `auths[host]` to `value` in `text`; returns the new text and what changed. */
export function addAuthEntry(text: string, host: string, value: string, file = 'config.json'): { text: string; change: AuthEntryChange } {
  checkObject(text, file);
  const { root, auths } = authsOf(text);
  const memberIndent = root.members[0] ? indentAt(text, root.members[0].start) : '\t';
  if (!auths) {
    const authsText = `{\n${memberIndent}${memberIndent}${JSON.stringify(host)}: ${value}\n${memberIndent}}`;
    return { text: insertMember(text, root, 'auths', authsText, memberIndent), change: { host, writtenDigest: valueDigest(value), createdAuths: true } };
  }
  const existing = auths.members.find((m) => m.key === host);
  if (existing) {
    const previous = text.slice(existing.valueStart, existing.valueEnd);
    const out = text.slice(0, existing.valueStart) + value + text.slice(existing.valueEnd);
    return { text: out, change: { host, writtenDigest: valueDigest(value), previous, createdAuths: false } };
  }
  const indent = auths.members[0] ? indentAt(text, auths.members[0].start) : `${memberIndent}${memberIndent}`;
  return { text: insertMember(text, auths, host, value, indent), change: { host, writtenDigest: valueDigest(value), createdAuths: false } };
}

/** What logout found. `changed`: someone replaced our entry since; it is left alone. */
export type RemoveOutcome = 'removed' | 'restored' | 'changed' | 'missing';

/** Undoes `change` in `text`: removes our entry, or puts the previous value back. */
export function removeAuthEntry(text: string, change: AuthEntryChange, file = 'config.json'): { text: string; outcome: RemoveOutcome; empty: boolean } {
  checkObject(text, file);
  const { index, auths } = authsOf(text);
  const at = auths?.members.findIndex((m) => m.key === change.host) ?? -1;
  const member = auths?.members[at];
  if (!auths || !member) return { text, outcome: 'missing', empty: false };
  if (valueDigest(text.slice(member.valueStart, member.valueEnd)) !== change.writtenDigest) return { text, outcome: 'changed', empty: false };
  if (change.previous !== undefined) {
    return { text: text.slice(0, member.valueStart) + change.previous + text.slice(member.valueEnd), outcome: 'restored', empty: false };
  }
  let out = removeMember(text, auths, at);
  if (change.createdAuths && auths.members.length === 1) out = removeMember(out, rootSpan(out), index);
  return { text: out, outcome: 'removed', empty: rootSpan(out).members.length === 0 };
}
