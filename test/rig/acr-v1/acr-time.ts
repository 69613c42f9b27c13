/**
 * ACR stamps metadata with RFC 3339 times carrying 7 fractional digits (100 ns ticks), e.g.
 * `2023-03-02T23:15:59.8012764Z` [rec]. The store keeps ticks so that two writes within one
 * millisecond still order deterministically (newest-first listings depend on it).
 */

/** Ticks (100 ns units since the epoch) as a bigint-free number: safe until the year 2255. */
export type Ticks = number;

/** A clock that never returns the same tick twice and never goes backwards. */
export function createTickClock(now: () => Date | number = Date.now): () => Ticks {
  let last = 0;
  return () => {
    const t = now();
    const ticks = Math.max((typeof t === 'number' ? t : t.getTime()) * 10_000, last + 1);
    last = ticks;
    return ticks;
  };
}

/** `2023-03-02T23:15:59.8012764Z` for the given ticks. */
export function formatAcrTime(ticks: Ticks): string {
  const ms = Math.floor(ticks / 10_000);
  const sub = ticks % 10_000;
  const iso = new Date(ms).toISOString(); // 2023-03-02T23:15:59.801Z
  return `${iso.slice(0, -1)}${String(sub).padStart(4, '0')}Z`;
}
