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
  private firstLoad: Promise<void> | undefined;

  constructor(private readonly load: PageLoader<T>, private readonly pageSize: number) {}

  /** True once the first page is in and the registry said there are more. */
  get hasMore(): boolean {
    return this.started && this.cursor !== undefined;
  }

  get loaded(): boolean {
    return this.started;
  }

  /**
   * Loads the first page unless it is in; concurrent expansions of the same node share one load. `prepare`
   * runs on the page's items before any caller sees them. A failed load is tried again by the next call.
   */
  loadFirst(options: { signal?: AbortSignal } = {}, prepare?: (items: T[]) => Promise<void>): Promise<void> {
    if (this.started && !this.firstLoad) return Promise.resolve();
    this.firstLoad ??= (async () => {
      const items = await this.loadNext(options);
      await prepare?.(items);
    })().finally(() => (this.firstLoad = undefined));
    return this.firstLoad;
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
