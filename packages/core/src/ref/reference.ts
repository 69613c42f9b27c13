/**
 * Image references: `[registry/]repository[:tag][@digest]`, parsed and normalised the way Docker does
 * (`nginx` is `docker.io/library/nginx`), formatted back, and refused with an error that quotes the
 * input and says what is wrong.
 *
 * Reference: https://github.com/distribution/reference/blob/v0.6.0/normalize.go
 */
import { checkDigest, checkHost, checkRepositoryPath, NAME_MAX_LENGTH } from './grammar';
import { describeInvalidTag } from './tag';

/** A parsed, normalised image reference. */
export interface Reference {
  /** Registry host (lower case) with optional port: `myreg.azurecr.io`, `127.0.0.1:5000`, `docker.io`. */
  registry: string;
  /** Repository path without the registry: `library/nginx`, `team/app`. */
  repository: string;
  /** The tag, when the reference names one. */
  tag?: string;
  /** The digest (`sha256:…`), when the reference names one. Both tag and digest may be set. */
  digest?: string;
}

/** Options of {@link parseReference}. */
export interface ParseReferenceOptions {
  /** Registry used when the reference names none. If undefined, `docker.io`. */
  defaultRegistry?: string;
}

/** Docker Hub's canonical name; single-component names there live under `library/`. */
export const DOCKER_HUB = 'docker.io';
/** Names Docker Hub is also written as; normalised to {@link DOCKER_HUB}. */
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);

/** What is wrong with a refused reference. */
export type ReferenceErrorCode = 'EMPTY' | 'INVALID_HOST' | 'INVALID_NAME' | 'NAME_TOO_LONG' | 'INVALID_TAG' | 'INVALID_DIGEST';

/** A reference that does not follow the grammar. The message quotes the input and names the problem. */
export class ReferenceError extends Error {
  override readonly name = 'ReferenceError';
  constructor(
    readonly input: string,
    readonly code: ReferenceErrorCode,
    readonly reason: string,
  ) {
    super(`invalid reference ${JSON.stringify(input)}: ${reason}`);
  }

  /** True when `err` is a ReferenceError (of `code`, when given). */
  static is(err: unknown, code?: ReferenceErrorCode): err is ReferenceError {
    return err instanceof ReferenceError && (code === undefined || err.code === code);
  }
}

/**
 * Parses and normalises an image reference. Accepts `name`, `name:tag`, `name@digest` and
 * `name:tag@digest`. The first path component is a registry host when it contains `.` or `:` or is
 * `localhost`; otherwise the default registry is used (and `library/` is added on Docker Hub).
 *
 * @throws ReferenceError when the input does not follow the grammar.
 */
export function parseReference(input: string, options: ParseReferenceOptions = {}): Reference {
  const fail = (code: ReferenceErrorCode, reason: string): never => {
    throw new ReferenceError(input, code, reason);
  };
  if (typeof input !== 'string' || input.trim() === '') fail('EMPTY', 'reference is empty');
  if (/\s/.test(input)) fail('INVALID_NAME', 'reference contains whitespace');

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = digest === '' ? 'digest after "@" is empty' : checkDigest(digest);
    if (problem) fail('INVALID_DIGEST', problem);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && !isPortOfBareHost(rest, colon)) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const problem = describeInvalidTag(tag);
    if (problem) fail('INVALID_TAG', problem);
  }

  const name = rest;
  if (name === '') fail('INVALID_NAME', 'repository name is missing');
  if (name.length > NAME_MAX_LENGTH) {
    fail('NAME_TOO_LONG', `repository name is ${name.length} characters long, the maximum is ${NAME_MAX_LENGTH}`);
  }
  const { registry, repository } = splitName(name, options.defaultRegistry ?? DOCKER_HUB, fail);
  return { registry, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** The colons of a bare IPv6 literal (`[::1]`) are not a tag separator. */
function isPortOfBareHost(rest: string, colon: number): boolean {
  return rest.startsWith('[') && colon < rest.indexOf(']');
}

function splitName(
  name: string,
  defaultRegistry: string,
  fail: (code: ReferenceErrorCode, reason: string) => never,
): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  let registry: string;
  let repository: string;
  if (slash >= 0 && isRegistryHost(first)) {
    registry = first;
    repository = name.slice(slash + 1);
    const problem = checkHost(registry);
    if (problem) fail('INVALID_HOST', problem);
  } else {
    registry = defaultRegistry;
    repository = name;
    const problem = checkHost(registry);
    if (problem) fail('INVALID_HOST', `the default registry is unusable: ${problem}`);
  }
  // Host names are case-insensitive; URLs lower-case them, so credential lookups see lower case too.
  registry = registry.toLowerCase();
  if (DOCKER_HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  const problem = checkRepositoryPath(repository);
  if (problem) fail('INVALID_NAME', problem);
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository };
}

/** The normalisation rule: a first component with `.` or `:`, or `localhost`, names a registry. */
export function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Formats a reference back: `registry/repository[:tag][@digest]`. Nothing is shortened. */
export function formatReference(ref: Reference): string {
  let text = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}

/**
 * The shortest form a user would type: drops `docker.io/` and `library/` on Docker Hub.
 * Used in messages; {@link formatReference} is what goes on the wire.
 */
export function familiarReference(ref: Reference): string {
  const full = formatReference(ref);
  if (ref.registry !== DOCKER_HUB) return full;
  const short = full.slice(DOCKER_HUB.length + 1);
  return short.startsWith('library/') && !ref.repository.slice('library/'.length).includes('/')
    ? short.slice('library/'.length)
    : short;
}
