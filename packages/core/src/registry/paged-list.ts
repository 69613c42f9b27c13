/**
 * One paging loop for every distribution listing (`/v2/_catalog`, `/v2/<name>/tags/list`): an async
 * iterable of pages that follows `Link` within the registry, stops after `maxPages`, and also stops
 * when a registry repeats a page cursor (a loop rather than a listing).
 */
import type { Page } from './registry-client';
import type { Endpoint } from './endpoint';
import { nextPageUrl } from './link-header';
import { getBodyCapped } from './read-body';
import { RegistryProtocolError } from './registry-protocol-error';

export interface ListOptions {
  /** Items per page (`n`). If undefined, the registry's default. */
  pageSize?: number;
  /** Start after this item (`last`); from the beginning when undefined. */
  last?: string;
  /**
   * Stop after this many pages; the last page returned then carries a `next` cursor. If undefined,
   * {@link DEFAULT_MAX_PAGES}.
   */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Pages fetched per listing unless told otherwise (oras-go `TagListMaxPages` bounds it too). */
export const DEFAULT_MAX_PAGES = 1000;
/** A page of names is small; a 16 MiB cap stops a hostile registry without hurting real ones. */
const PAGE_MAX_BYTES = 16 * 1024 * 1024;

/** Fetches pages of `field` from `firstUrl`, as documented on {@link ListOptions}. */
export async function* listPages(
  endpoint: Pick<Endpoint, 'transport'>, firstUrl: string, field: string, scopes: string[], options: ListOptions,
): AsyncIterable<Page<string>> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let url: string | undefined = firstUrl;
  const seen = new Set<string>();
  for (let page = 0; url && page < maxPages; page++) {
    seen.add(url);
    const request = { method: 'GET', url, signal: options.signal, scopes };
    const { response, bytes } = await getBodyCapped(endpoint.transport, request, PAGE_MAX_BYTES, `GET ${new URL(url).pathname}`);
    const items = parseNames(bytes, field, url);
    const next = nextPageUrl(response.headers.get('link'), url);
    url = next && !seen.has(next) ? next : undefined;
    const cursor = url ? (new URL(url).searchParams.get('last') ?? items.at(-1)) : undefined;
    yield cursor === undefined ? { items } : { items, next: cursor };
  }
}

/** The URL with `n` and `last` set from the options. */
export function withPaging(url: string, options: ListOptions): string {
  const u = new URL(url);
  if (options.pageSize !== undefined) u.searchParams.set('n', String(options.pageSize));
  if (options.last !== undefined) u.searchParams.set('last', options.last);
  return u.toString();
}

/** Collects every item of a paged listing (bounded by the listing's own `maxPages`). */
export async function collectAll<T>(pages: AsyncIterable<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page.items);
  return all;
}

function parseNames(bytes: Uint8Array, field: string, url: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RegistryProtocolError('invalid-body', `GET ${new URL(url).pathname}: the registry answered invalid JSON`);
  }
  const list = (body as Record<string, unknown> | null)?.[field];
  if (list === null || list === undefined) return []; // Distribution sends "tags": null for an emptied repository
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
    throw new RegistryProtocolError('invalid-body', `GET ${new URL(url).pathname}: "${field}" is not a list of names`);
  }
  return list;
}
