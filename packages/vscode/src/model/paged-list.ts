/**
 * The loaded pages of one listing (a registry's repositories, a repository's tags) and the cursor of
 * the next page. "Load more" appends one page; a refresh drops the list.
 */
import type { Page, PageOptions } from '@acrkit/core/registry/registry-client';

export type PageLoader<T> = (options: PageOptions) => Promise<Page<T>>;

export class PagedList<T> {
  readonly items: T[] = [];
  private cursor: string | undefined;
  private started = false;

  constructor(private readonly load: PageLoader<T>, private readonly pageSize: number) {}

  /** True once the first page is in and the registry said there are more. */
  get hasMore(): boolean {
    return this.started && this.cursor !== undefined;
  }

  get loaded(): boolean {
    return this.started;
  }

  /** Loads the next page (the first one on the first call) and returns its items. */
  async loadNext(options: { signal?: AbortSignal } = {}): Promise<T[]> {
    if (this.started && this.cursor === undefined) return [];
    const page = await this.load({ pageSize: this.pageSize, cursor: this.cursor, signal: options.signal });
    this.started = true;
    this.cursor = page.next;
    this.items.push(...page.items);
    return page.items;
  }
}
