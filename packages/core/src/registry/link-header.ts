/**
 * The `Link: <url>; rel="next"` header that distribution uses for paging, resolved against the
 * request URL and followed only to the same scheme and host: a registry must not be able to send
 * our credentials (or our listing) elsewhere (ggcr `getNextPageURL`).
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#listing-tags
 */

import { RegistryProtocolError } from './registry-protocol-error';

/**
 * The absolute URL of the next page, or undefined when there is none. Throws when the link points
 * to another origin or is malformed, because silently stopping would look like a complete listing.
 */
export function nextPageUrl(link: string | null, requestUrl: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (!match || !/;\s*rel="?next"?/i.test(match[2] ?? '')) continue;
    const base = new URL(requestUrl);
    let next: URL;
    try {
      next = new URL(match[1] ?? '', base);
    } catch {
      throw new RegistryProtocolError('bad-link', `registry sent a malformed Link header: ${JSON.stringify(link)}`);
    }
    if (next.protocol !== base.protocol || next.host !== base.host) {
      throw new RegistryProtocolError('bad-link', `refusing to follow Link to another host: ${next.protocol}//${next.host} (listing ${base.protocol}//${base.host})`);
    }
    return next.toString();
  }
  return undefined;
}
