import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactUrl } from '../../src/http/redact';

describe('redactUrl', () => {
  it.each([
    ['https://r.io/v2/app/tags/list?n=100&last=v1', 'https://r.io/v2/app/tags/list?n=100&last=v1'],
    ['https://user:pw@r.io/v2/', 'https://r.io/v2/'],
    [
      'https://acct.blob.core.windows.net/c/b?sv=2021-08-06&se=2026-01-01&sr=b&sp=r&sig=SECRETSIG%3D',
      'https://acct.blob.core.windows.net/c/b',
    ],
    [
      'https://r.io/oauth2/token?service=r.io&scope=repository%3Aapp%3Apull&password=x&refresh_token=y',
      'https://r.io/oauth2/token?service=r.io&scope=repository%3Aapp%3Apull',
    ],
    ['https://r.io/v2/app/blobs/uploads/u?_state=STATE&digest=sha256%3Aab', 'https://r.io/v2/app/blobs/uploads/u?digest=sha256%3Aab'],
    ['https://r.io/v2/app/blobs/uploads/?mount=sha256%3Aab&from=other', 'https://r.io/v2/app/blobs/uploads/?mount=sha256%3Aab&from=other'],
    ['https://r.io/acr/v1/_tags?orderby=timedesc&api-version=2021-07-01&API-VERSION=2', 'https://r.io/acr/v1/_tags?orderby=timedesc&api-version=2021-07-01&API-VERSION=2'],
    ['https://r.io/x#token=abc', 'https://r.io/x'],
    ['/v2/app?sig=abc', '/v2/app'],
    ['not a url?sig=abc', 'not a url'],
  ])('%s -> %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('takes URL objects', () => {
    expect(redactUrl(new URL('https://a:b@r.io/?sig=1'))).toBe('https://r.io/');
  });
});

describe('redactSecrets', () => {
  it('masks raw, URL-encoded and form-encoded secrets, longest first', () => {
    const secret = 'p@ss word/+=';
    const text = `a ${secret} b ${encodeURIComponent(secret)} c ${new URLSearchParams({ x: secret }).toString()}`;
    const out = redactSecrets(text, [secret, undefined, '']);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain('p%40ss+word');
    expect(out).toBe(`a ${REDACTED} b ${REDACTED} c x=${REDACTED}`);
    expect(redactSecrets('tokenABC and token', ['token', 'tokenABC'])).toBe(`${REDACTED} and ${REDACTED}`);
  });
});
