/**
 * The pieces of the distribution reference grammar, each as a small check that says what is wrong.
 * Kept apart from `reference.ts` so the parser reads as a sequence of steps.
 *
 * Reference: https://github.com/distribution/reference/blob/v0.6.0/regexp.go
 */

/** One repository path component: lowercase alphanumerics joined by `.`, `_`, `__` or runs of `-`. */
export const PATH_COMPONENT_PATTERN = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** A DNS label as the grammar allows it (no leading or trailing `-`). */
const DOMAIN_COMPONENT_PATTERN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;

/** Hex lengths of the digest algorithms registries accept. Others are refused rather than guessed. */
export const DIGEST_HEX_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

/** Registry names and repositories longer than this are refused by Distribution. */
export const NAME_MAX_LENGTH = 255;

/** Returns what is wrong with a registry host (`myreg.azurecr.io`, `127.0.0.1:5000`, `[::1]:5000`), or undefined. */
export function checkHost(host: string): string | undefined {
  let name = host;
  let port: string | undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) return `registry host ${JSON.stringify(host)} has an unterminated IPv6 literal`;
    const literal = host.slice(1, end);
    if (!/^[0-9a-fA-F:.]+$/.test(literal) || !literal.includes(':')) {
      return `registry host ${JSON.stringify(host)} is not a valid IPv6 literal`;
    }
    const rest = host.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return `registry host ${JSON.stringify(host)} has text after the IPv6 literal`;
    return rest === '' ? undefined : checkPort(host, rest.slice(1));
  }
  const colon = host.indexOf(':');
  if (colon >= 0) {
    name = host.slice(0, colon);
    port = host.slice(colon + 1);
  }
  if (name === '') return `registry host ${JSON.stringify(host)} has no name`;
  for (const label of name.split('.')) {
    if (!DOMAIN_COMPONENT_PATTERN.test(label)) {
      return `registry host ${JSON.stringify(host)} is not a valid host name (bad part ${JSON.stringify(label)})`;
    }
  }
  return port === undefined ? undefined : checkPort(host, port);
}

function checkPort(host: string, port: string): string | undefined {
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) {
    return `registry host ${JSON.stringify(host)} has an invalid port ${JSON.stringify(port)}`;
  }
  return undefined;
}

/** Returns what is wrong with a repository path (`library/nginx`), or undefined. */
export function checkRepositoryPath(path: string): string | undefined {
  if (path === '') return 'repository name is empty';
  if (path !== path.toLowerCase()) return 'repository name must be lowercase';
  for (const component of path.split('/')) {
    if (component === '') return 'repository name has an empty path component (check for "//" or a trailing "/")';
    if (!PATH_COMPONENT_PATTERN.test(component)) {
      return `repository path component ${JSON.stringify(component)} is invalid: use lowercase letters and digits, ` +
        'separated by ".", "_", "__" or "-"';
    }
  }
  return undefined;
}

/** Returns what is wrong with a digest (`sha256:<64 hex>`), or undefined. */
export function checkDigest(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0) return `digest ${JSON.stringify(digest)} must look like "algorithm:hex"`;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = Object.hasOwn(DIGEST_HEX_LENGTHS, algorithm) ? DIGEST_HEX_LENGTHS[algorithm] : undefined;
  if (length === undefined) {
    return `digest algorithm ${JSON.stringify(algorithm)} is not supported (use sha256 or sha512)`;
  }
  if (!/^[a-f0-9]*$/.test(hex)) return `digest ${JSON.stringify(digest)} must use lowercase hex after "${algorithm}:"`;
  if (hex.length !== length) return `${algorithm} digest must have ${length} hex characters, got ${hex.length}`;
  return undefined;
}
