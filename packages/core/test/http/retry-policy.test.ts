import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableError, isRetryableStatus, parseRetryAfter } from '../../src/http/retry-policy';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('retry policy', () => {
  it.each([
    [coded('ECONNRESET'), true],
    [coded('EPIPE'), true],
    [coded('UND_ERR_SOCKET'), true],
    [new TypeError('fetch failed', { cause: coded('ECONNRESET') }), true],
    [new TypeError('fetch failed', { cause: new Error('socket hang up') }), true],
    [coded('ECONNREFUSED'), false],
    [new TypeError('fetch failed', { cause: coded('ECONNREFUSED') }), false],
    [coded('ENOTFOUND'), false],
    [coded('CERT_HAS_EXPIRED'), false],
    [new DOMException('aborted', 'AbortError'), false],
    [Object.assign(new DOMException('aborted', 'AbortError'), { cause: coded('ECONNRESET') }), false],
    ['a string', false],
    [null, false],
  ])('isRetryableError(%s) = %s', (err, expected) => {
    expect(isRetryableError(err)).toBe(expected);
  });

  it('retries exactly 408, 429, 500, 502, 503, 504', () => {
    const retried = Array.from({ length: 500 }, (_, i) => i + 100).filter(isRetryableStatus);
    expect(retried).toEqual([408, 429, 500, 502, 503, 504]);
  });

  it('grows the backoff window exponentially between min and max, with full jitter', () => {
    expect(backoffDelay(0, 200, 3000, () => 0)).toBe(200);
    expect(backoffDelay(0, 200, 3000, () => 0.999)).toBe(200);
    expect(backoffDelay(1, 200, 3000, () => 0.5)).toBe(300);
    expect(backoffDelay(3, 200, 3000, () => 1)).toBe(1600);
    expect(backoffDelay(10, 200, 3000, () => 1)).toBe(3000);
    expect(backoffDelay(10, 200, 3000, () => 0)).toBe(200);
  });

  it('parses Retry-After as seconds or an HTTP-date', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
