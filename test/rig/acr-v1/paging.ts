/**
 * ACR's list paging: `n` items after the item named `last`, in `orderby` order, and a relative
 * `Link: </acr/v1/...?last=..&n=..&orderby=..>; rel="next"` when more remain [rec]. Next links do
 * not carry `api-version` [rec].
 */
export type OrderBy = '' | 'timedesc' | 'timeasc';

export interface PageRequest {
  n: number;
  last?: string;
  orderby: OrderBy;
}

/**
 * Default page size when `n` is absent. ACR's own default is not documented (third-party reports
 * say 100 for /v2 tags); clients that page follow `Link` either way.
 */
export const DEFAULT_PAGE_SIZE = 100;

/** Parses `n`, `last`, `orderby`; returns an error message for a value ACR would reject. */
export function parsePageRequest(query: URLSearchParams): PageRequest | string {
  const rawN = query.get('n');
  const n = rawN === null || rawN === '' ? DEFAULT_PAGE_SIZE : Number(rawN);
  if (!Number.isInteger(n) || n < 1) return `invalid number of results requested: "${rawN}"`;
  const orderby = query.get('orderby') ?? '';
  if (orderby !== '' && orderby !== 'timedesc' && orderby !== 'timeasc' && orderby !== 'none') {
    return `invalid orderby "${orderby}": expected timedesc, timeasc or none`;
  }
  const last = query.get('last') || undefined;
  return { n, last, orderby: orderby === 'none' ? '' : orderby };
}

/** Sorts by name, or by last-update time (ties broken by name so paging is stable). */
export function sortForOrder<T>(items: T[], orderby: OrderBy, name: (item: T) => string, updated: (item: T) => number): T[] {
  const byName = (a: T, b: T) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
  if (orderby === '') return [...items].sort(byName);
  const sign = orderby === 'timedesc' ? -1 : 1;
  return [...items].sort((a, b) => sign * (updated(a) - updated(b)) || byName(a, b));
}

/** The page after `last` in already sorted `items`, and the cursor for the next one. */
export function takePage<T>(items: T[], request: PageRequest, name: (item: T) => string): { items: T[]; last?: string } {
  let start = 0;
  if (request.last !== undefined) {
    const at = items.findIndex((item) => name(item) === request.last);
    if (at >= 0) start = at + 1;
    // A cursor that vanished meanwhile: by name we can still resume after it; by time we cannot.
    else start = request.orderby === '' ? items.findIndex((item) => name(item) > request.last!) : items.length;
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + request.n);
  const more = start + request.n < items.length;
  return { items: page, last: more ? name(page[page.length - 1]!) : undefined };
}

/** `</acr/v1/<path>?last=..&n=..&orderby=..>; rel="next"` (same key order as ACR). */
export function nextLink(path: string, request: PageRequest, last: string): string {
  return `</acr/v1/${path}?last=${encodeURIComponent(last)}&n=${request.n}&orderby=${request.orderby}>; rel="next"`;
}
