import { describe, expect, it } from 'vitest';
import { familiarReference, formatReference, parseReference, ReferenceError, type Reference } from '../../src/ref/reference';

const SHA256 = `sha256:${'a'.repeat(64)}`;
const SHA512 = `sha512:${'0'.repeat(128)}`;

describe('parseReference: good references', () => {
  const good: Array<[string, Reference]> = [
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.25', { registry: 'docker.io', repository: 'library/nginx', tag: '1.25' }],
    ['bitnami/nginx:latest', { registry: 'docker.io', repository: 'bitnami/nginx', tag: 'latest' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['index.docker.io/library/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['myreg.azurecr.io/app:v1', { registry: 'myreg.azurecr.io', repository: 'app', tag: 'v1' }],
    ['myreg.azurecr.io/team/app/api:v1.2.3', { registry: 'myreg.azurecr.io', repository: 'team/app/api', tag: 'v1.2.3' }],
    ['MyReg.AzureCR.io/app', { registry: 'myreg.azurecr.io', repository: 'app' }],
    ['[2001:DB8::1]:5000/app', { registry: '[2001:db8::1]:5000', repository: 'app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/app:dev', { registry: 'localhost:5000', repository: 'app', tag: 'dev' }],
    ['127.0.0.1:5000/a/b', { registry: '127.0.0.1:5000', repository: 'a/b' }],
    ['[::1]:5000/app:v1', { registry: '[::1]:5000', repository: 'app', tag: 'v1' }],
    ['[2001:db8::1]/app', { registry: '[2001:db8::1]', repository: 'app' }],
    ['host:443/app', { registry: 'host:443', repository: 'app' }],
    [`app@${SHA256}`, { registry: 'docker.io', repository: 'library/app', digest: SHA256 }],
    [`r.io/app:v1@${SHA256}`, { registry: 'r.io', repository: 'app', tag: 'v1', digest: SHA256 }],
    [`r.io/app@${SHA512}`, { registry: 'r.io', repository: 'app', digest: SHA512 }],
    ['r.io/a.b_c__d---e/f-g:T_a.g-1', { registry: 'r.io', repository: 'a.b_c__d---e/f-g', tag: 'T_a.g-1' }],
    ['r.io/app:_underscore', { registry: 'r.io', repository: 'app', tag: '_underscore' }],
    [`r.io/app:${'x'.repeat(128)}`, { registry: 'r.io', repository: 'app', tag: 'x'.repeat(128) }],
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
    ['a-b.c-d.io/x', { registry: 'a-b.c-d.io', repository: 'x' }],
    ['0/1', { registry: 'docker.io', repository: '0/1' }],
  ];
  it.each(good)('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it('uses defaultRegistry, and adds library/ only on Docker Hub', () => {
    expect(parseReference('app:v1', { defaultRegistry: 'myreg.azurecr.io' })).toEqual({
      registry: 'myreg.azurecr.io',
      repository: 'app',
      tag: 'v1',
    });
    expect(parseReference('other.io/app', { defaultRegistry: 'myreg.azurecr.io' }).registry).toBe('other.io');
  });

  it('refuses an unusable default registry, saying so', () => {
    expect(() => parseReference('app', { defaultRegistry: 'https://r.io' })).toThrow(
      'invalid reference "app": the default registry is unusable: registry host "https://r.io" has an invalid port "//r.io"',
    );
  });
});

describe('parseReference: bad references', () => {
  const bad: Array<[string, ReferenceError['code'], string]> = [
    ['', 'EMPTY', 'reference is empty'],
    ['   ', 'EMPTY', 'reference is empty'],
    ['Foo/bar:x', 'INVALID_NAME', 'repository name must be lowercase'],
    ['r.io/App', 'INVALID_NAME', 'repository name must be lowercase'],
    ['r.io/app name', 'INVALID_NAME', 'whitespace'],
    ['r.io/-app', 'INVALID_NAME', 'path component "-app" is invalid'],
    ['r.io/app-', 'INVALID_NAME', 'path component "app-" is invalid'],
    ['r.io/a___b', 'INVALID_NAME', 'path component "a___b" is invalid'],
    ['r.io/a..b', 'INVALID_NAME', 'path component "a..b" is invalid'],
    ['r.io/a//b', 'INVALID_NAME', 'empty path component'],
    ['r.io/a/', 'INVALID_NAME', 'empty path component'],
    ['r.io/', 'INVALID_NAME', 'repository name is empty'],
    [':tag', 'INVALID_NAME', 'repository name is missing'],
    [`@${SHA256}`, 'INVALID_NAME', 'repository name is missing'],
    ['r.io/app:', 'INVALID_TAG', 'tag is empty'],
    ['r.io/app:-x', 'INVALID_TAG', 'must start with a letter, digit or "_"'],
    ['r.io/app:.x', 'INVALID_TAG', 'must start with'],
    ['r.io/app:a+b', 'INVALID_TAG', 'tag contains "+"'],
    [`r.io/app:${'x'.repeat(129)}`, 'INVALID_TAG', 'tag is 129 characters long, the maximum is 128'],
    ['r.io/app@', 'INVALID_DIGEST', 'digest after "@" is empty'],
    ['r.io/app@sha256:abc', 'INVALID_DIGEST', 'sha256 digest must have 64 hex characters, got 3'],
    [`r.io/app@sha512:${'a'.repeat(64)}`, 'INVALID_DIGEST', 'sha512 digest must have 128 hex characters, got 64'],
    [`r.io/app@md5:${'a'.repeat(32)}`, 'INVALID_DIGEST', 'algorithm "md5" is not supported'],
    [`r.io/app@sha256:${'A'.repeat(64)}`, 'INVALID_DIGEST', 'lowercase hex'],
    [`r.io/app@constructor:${'a'.repeat(64)}`, 'INVALID_DIGEST', 'not supported'],
    [`r.io/app@${'a'.repeat(64)}`, 'INVALID_DIGEST', 'must look like "algorithm:hex"'],
    ['-r.io/app', 'INVALID_HOST', 'not a valid host name'],
    ['r-.io/app', 'INVALID_HOST', 'bad part "r-"'],
    ['r..io/app', 'INVALID_HOST', 'bad part ""'],
    ['r.io:abc/app', 'INVALID_HOST', 'invalid port "abc"'],
    ['r.io:99999/app', 'INVALID_HOST', 'invalid port "99999"'],
    ['r.io:/app', 'INVALID_HOST', 'invalid port ""'],
    ['r_x.io/app', 'INVALID_HOST', 'not a valid host name'],
    ['[::1/app', 'INVALID_HOST', 'unterminated IPv6'],
    ['[zz::1]/app', 'INVALID_HOST', 'not a valid IPv6 literal'],
    ['[::1]x/app', 'INVALID_HOST', 'text after the IPv6 literal'],
    ['[::1]', 'INVALID_NAME', 'invalid'],
    [`r.io/${'a'.repeat(251)}`, 'NAME_TOO_LONG', 'repository name is 256 characters long, the maximum is 255'],
  ];
  it.each(bad)('%j is refused (%s)', (input, code, reason) => {
    let caught: unknown;
    try {
      parseReference(input);
    } catch (err) {
      caught = err;
    }
    expect(ReferenceError.is(caught, code)).toBe(true);
    const err = caught as ReferenceError;
    expect(err.message.startsWith(`invalid reference ${JSON.stringify(input)}: `)).toBe(true);
    expect(err.message).toContain(reason);
    expect(err.input).toBe(input);
  });

  it('quotes the input exactly as in the documented example', () => {
    expect(() => parseReference('Foo/bar:x')).toThrow('invalid reference "Foo/bar:x": repository name must be lowercase');
  });

  it('is not the global ReferenceError', () => {
    const err = new ReferenceError('x', 'EMPTY', 'reference is empty');
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(globalThis.ReferenceError);
    expect(ReferenceError.is(new globalThis.ReferenceError('x'))).toBe(false);
  });
});

describe('formatReference', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx'],
    ['r.io/app:v1', 'r.io/app:v1'],
    [`r.io/app:v1@${SHA256}`, `r.io/app:v1@${SHA256}`],
    [`[::1]:5000/app@${SHA256}`, `[::1]:5000/app@${SHA256}`],
  ])('%s -> %s, and parses back to the same reference', (input, formatted) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(formatted);
    expect(parseReference(formatReference(ref))).toEqual(ref);
  });

  it.each([
    ['nginx:1', 'nginx:1'],
    ['bitnami/nginx', 'bitnami/nginx'],
    ['r.io/app:v1', 'r.io/app:v1'],
  ])('familiarReference(%s) = %s', (input, familiar) => {
    expect(familiarReference(parseReference(input))).toBe(familiar);
  });
});
