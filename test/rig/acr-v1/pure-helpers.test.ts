import { describe, expect, it } from 'vitest';
import { createTickClock, formatAcrTime } from './acr-time';
import { parseAcrRoute } from './acr-routes';
import { nextLink, parsePageRequest, sortForOrder, takePage } from './paging';

describe('parseAcrRoute', () => {
  it.each([
    ['/acr/v1/_catalog', { kind: 'catalog' }],
    ['/acr/v1/library%2Fhello-world', { kind: 'repository', repository: 'library/hello-world' }],
    ['/acr/v1/library/hello-world/_tags', { kind: 'tags', repository: 'library/hello-world' }],
    ['/acr/v1/a/b/c/_tags/v1.0_x-y', { kind: 'tag', repository: 'a/b/c', tag: 'v1.0_x-y' }],
    ['/acr/v1/app/_manifests', { kind: 'manifests', repository: 'app' }],
    [`/acr/v1/app/_manifests/sha256%3A${'a'.repeat(64)}`, { kind: 'manifest', repository: 'app', digest: `sha256:${'a'.repeat(64)}` }],
    ['/acr/v1/app/_manifests/wrong-digest', { kind: 'unmatched' }],
    ['/acr/v1/App', { kind: 'unmatched' }],
    ['/acr/v1/app/_tags/bad%20tag', { kind: 'unmatched' }],
    ['/acr/v1/%E0%A4%A', { kind: 'unmatched' }],
    ['/v2/app/tags/list', { kind: 'unmatched' }],
  ])('%s', (path, route) => {
    expect(parseAcrRoute(path)).toEqual(route);
  });
});

describe('paging', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({ name, t: [5, 1, 4, 2, 3][i]! }));
  const byTime = sortForOrder(items, 'timedesc', (x) => x.name, (x) => x.t);

  it('orders by time and pages after the named item', () => {
    expect(byTime.map((x) => x.name)).toEqual(['a', 'c', 'e', 'd', 'b']);
    const request = { n: 2, orderby: 'timedesc' as const };
    expect(takePage(byTime, request, (x) => x.name)).toEqual({ items: [byTime[0], byTime[1]], last: 'c' });
    expect(takePage(byTime, { ...request, last: 'd' }, (x) => x.name)).toEqual({ items: [byTime[4]], last: undefined });
    expect(takePage(byTime, { ...request, last: 'gone' }, (x) => x.name).items).toEqual([]);
    expect(takePage(items, { n: 2, orderby: '', last: 'bb' }, (x) => x.name).items.map((x) => x.name)).toEqual(['c', 'd']);
  });

  it('parses n, last, orderby and rejects bad values', () => {
    expect(parsePageRequest(new URLSearchParams('n=5&last=x&orderby=timeasc'))).toEqual({ n: 5, last: 'x', orderby: 'timeasc' });
    expect(parsePageRequest(new URLSearchParams(''))).toEqual({ n: 100, last: undefined, orderby: '' });
    expect(parsePageRequest(new URLSearchParams('n=0'))).toMatch(/invalid number/);
    expect(parsePageRequest(new URLSearchParams('orderby=random'))).toMatch(/invalid orderby/);
  });

  it('writes the Link header as ACR does', () => {
    expect(nextLink('_catalog', { n: 1, orderby: '' }, 'library/busybox')).toBe('</acr/v1/_catalog?last=library%2Fbusybox&n=1&orderby=>; rel="next"');
  });
});

describe('ACR times', () => {
  it('formats 7 fractional digits and never repeats a tick', () => {
    expect(formatAcrTime(Date.UTC(2023, 2, 2, 23, 15, 59, 801) * 10_000 + 2764)).toBe('2023-03-02T23:15:59.8012764Z');
    const tick = createTickClock(() => 1000);
    const [a, b] = [tick(), tick()];
    expect(b).toBeGreaterThan(a);
    expect(formatAcrTime(a)).toBe('1970-01-01T00:00:01.0000000Z');
  });
});
