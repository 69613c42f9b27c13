import { describe, expect, test } from 'vitest';
import { InputError } from '../src/input-error';
import { readInputs } from '../src/inputs';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readInputs', () => {
  test('defaults: login with the default chain, auto docker config, logout on', () => {
    const i = readInputs(reader({ registry: 'https://MyReg.azurecr.io/' }));
    expect(i).toMatchObject({ command: 'login', registry: 'myreg.azurecr.io', auth: 'default', environment: 'AzureCloud', dockerConfig: 'auto', logout: true, latest: 'auto', audience: 'api://AzureADTokenExchange' });
    expect(i.tagRules.length).toBe(7);
  });

  test.each([
    [{ username: 'u', password: 'p' }, 'password'],
    [{ 'client-id': 'c', 'tenant-id': 't', 'client-secret': 's' }, 'client-secret'],
    [{ 'client-id': 'c', 'tenant-id': 't' }, 'oidc'],
    [{ 'auth-type': 'managed-identity' }, 'managed-identity'],
    [{ 'auth-type': 'managed-identity', 'client-id': 'c' }, 'managed-identity'],
    [{}, 'default'],
  ])('auth auto-selection %j → %s', (values, auth) => {
    expect(readInputs(reader({ registry: 'r.azurecr.io', ...values })).auth).toBe(auth);
  });

  test.each([
    [{ command: 'push', registry: 'r.io', image: 'app' }, /input "source": is empty|input "source": "" is not accepted/],
    [{ command: 'push', registry: 'r.io', image: 'App Name', source: 'oci-layout:x' }, /input "image": "app name" is not accepted/],
    [{ command: 'meta' }, /input "image": is empty: required for command: meta/],
    [{ command: 'tag', registry: 'r.io', source: 'r.io/app' }, /input "source": "r.io\/app" is not accepted/],
    [{ registry: 'r.io', 'auth-type': 'password', username: 'u' }, /input "password": is empty: auth-type password needs username and password/],
    [{ registry: 'r.io', 'auth-type': 'client-secret', 'client-id': 'c', 'tenant-id': 't' }, /input "client-secret": is empty/],
    [{ registry: 'r.io', 'authority-host': 'http://login.example' }, /input "authority-host": "http:\/\/login.example" is not accepted: expected an https:\/\/ URL/],
    [{ registry: 'r.io', latest: 'yes' }, /input "latest": "yes" is not accepted: expected auto, true, false/],
    [{ registry: 'bad host!' }, /input "registry": "bad host!" is not accepted/],
    [{ registry: 'r.io', labels: 'novalue' }, /input "labels": "novalue" is not accepted: expected one key=value a line/],
  ])('rejects %j', (values, message) => {
    let err: unknown;
    try { readInputs(reader(values)); } catch (e) { err = e; }
    expect(InputError.is(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  test('a secret value never appears in an input error', () => {
    expect(() => readInputs(reader({ registry: 'r.io', 'auth-type': 'password', password: 'hunter2-secret' }))).toThrow(/input "username"/);
    try { readInputs(reader({ registry: 'r.io', 'auth-type': 'password', password: 'hunter2-secret' })); } catch (e) { expect((e as Error).message).not.toContain('hunter2'); }
  });

  test('sources for push and tag', () => {
    expect(readInputs(reader({ command: 'push', registry: 'r.io', image: 'a', source: 'oci-layout:/tmp/l:v1' })).source).toEqual({ kind: 'oci-layout', path: '/tmp/l', tag: 'v1' });
    expect(readInputs(reader({ command: 'push', registry: 'r.io', image: 'a', source: 'docker-archive:/tmp/a.tar' })).source).toEqual({ kind: 'docker-archive', path: '/tmp/a.tar' });
    expect(readInputs(reader({ command: 'push', registry: 'r.io', image: 'a', source: 'docker:app:dev' })).source).toEqual({ kind: 'docker', image: 'app:dev' });
    expect(readInputs(reader({ command: 'tag', registry: 'r.io', source: 'team/app:v1' })).source).toEqual({ kind: 'registry', reference: { registry: 'r.io', repository: 'team/app', tag: 'v1' } });
  });
});
