/**
 * Bearer tokens cached per key (host + service + sorted scopes) until shortly before they expire.
 * Concurrent requests for one key share one fetch; the fetch is aborted only when every request
 * waiting for it has been aborted.
 *
 * Reference: oras-go registry/remote/auth/cache.go
 */

/** A token and when it stops being valid (ms since the epoch). */
export interface FetchedToken {
  token: string;
  expiresAt: number;
}

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Tokens are dropped this long before they expire (at most half their lifetime); if undefined, 60 s. */
  marginMs?: number;
  /** Clock in ms; if undefined, `Date.now`. */
  now?: () => number;
}

interface Entry extends FetchedToken {
  useUntil: number;
}

interface Inflight {
  promise: Promise<FetchedToken>;
  controller: AbortController;
  waiters: number;
}

/** The token cache shared by every request of one auth transport. */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(options: TokenCacheOptions = {}) {
    this.marginMs = options.marginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached token for `key`, if it is still usable. */
  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() < entry.useUntil) return entry.token;
    this.entries.delete(key);
    return undefined;
  }

  /** Stores a token; the margin is at most half the remaining lifetime, so short-lived tokens still get used. */
  set(key: string, value: FetchedToken): void {
    const remaining = value.expiresAt - this.now();
    if (remaining <= 0) return;
    this.entries.set(key, { ...value, useUntil: value.expiresAt - Math.min(this.marginMs, remaining / 2) });
  }

  /** Forgets `key`'s token, but only if it is still `token` (a newer one fetched meanwhile stays). */
  invalidate(key: string, token?: string): void {
    const entry = this.entries.get(key);
    if (entry && (token === undefined || entry.token === token)) this.entries.delete(key);
  }

  /** Forgets every token (e.g. after the user signed in as someone else). */
  clear(): void {
    this.entries.clear();
  }

  /**
   * Returns the cached token for `key`, or runs `fetch` (one at a time per key) and caches the result.
   * `signal` aborts this caller's wait; the shared fetch is aborted when all its waiters are.
   */
  async getOrFetch(key: string, fetch: (signal: AbortSignal) => Promise<FetchedToken>, signal?: AbortSignal): Promise<string> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    signal?.throwIfAborted();
    let flight = this.inflight.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise = fetch(controller.signal).then((value) => {
        this.set(key, value);
        return value;
      });
      const created: Inflight = { promise, controller, waiters: 0 };
      const forget = () => {
        if (this.inflight.get(key) === created) this.inflight.delete(key);
      };
      promise.then(forget, forget);
      this.inflight.set(key, created);
      flight = created;
    }
    return (await this.wait(flight, signal)).token;
  }

  private wait(flight: Inflight, signal?: AbortSignal): Promise<FetchedToken> {
    flight.waiters++;
    if (!signal) return flight.promise;
    return new Promise<FetchedToken>((resolve, reject) => {
      const onAbort = () => {
        flight.waiters--;
        if (flight.waiters === 0) flight.controller.abort(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }
}
