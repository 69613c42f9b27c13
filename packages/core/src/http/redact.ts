/**
 * Redaction for anything that may reach a log, an error or an output. URLs keep only query keys known
 * to be harmless (ACR blob redirects carry SAS signatures in the query); text has known secrets masked.
 *
 * Reference: ggcr internal/redact; Azure Storage SAS https://learn.microsoft.com/rest/api/storageservices/create-service-sas
 */

/**
 * Query keys that carry no secrets: paging (`n`, `last`, `orderby`), mounts (`mount`, `from`),
 * uploads (`digest`), token requests (`service`, `scope`), ACR (`api-version`), referrers (`artifactType`).
 */
export const SAFE_QUERY_KEYS: ReadonlySet<string> = new Set([
  'n',
  'last',
  'orderby',
  'digest',
  'mount',
  'from',
  'service',
  'scope',
  'api-version',
  'artifacttype',
]);

/** What replaces a secret in text. */
export const REDACTED = '***';

/**
 * Returns `url` without userinfo and without query parameters outside {@link SAFE_QUERY_KEYS}
 * (compared case-insensitively); the fragment is dropped too. Text that is not an absolute URL loses
 * everything from the first `?` or `#`.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    return url.toString().replace(/[?#].*$/s, '');
  }
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  const kept = new URLSearchParams();
  for (const [key, value] of parsed.searchParams) {
    if (SAFE_QUERY_KEYS.has(key.toLowerCase())) kept.append(key, value);
  }
  parsed.search = kept.toString();
  return parsed.toString();
}

/**
 * Replaces every occurrence of each secret in `text` (as is, URL-encoded, and form-encoded) with
 * {@link REDACTED}. Empty and undefined secrets are ignored; longer secrets are replaced first so a
 * secret that contains another is masked whole.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    variants.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  let result = text;
  for (const variant of [...variants].sort((a, b) => b.length - a.length)) {
    result = result.split(variant).join(REDACTED);
  }
  return result;
}
