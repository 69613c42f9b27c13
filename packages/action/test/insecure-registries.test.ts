import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isInsecureRegistry, isLoopbackRegistry, parseInsecureRegistries } from '../src/insecure-registries';
import { readInputs } from '../src/inputs';
import { DIST } from './support/run-action';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseInsecureRegistries', () => {
  test('splits on newlines and commas, trims, lower-cases, skips blanks, comments and duplicates', () => {
    expect(parseInsecureRegistries('')).toEqual([]);
    expect(parseInsecureRegistries('127.0.0.1:5000, Registry.Local\n# a comment\n\n  [::1]:5001,registry.local ,\r\nlocalhost'))
      .toEqual(['127.0.0.1:5000', 'registry.local', '[::1]:5001', 'localhost']);
  });

  test.each(['http://127.0.0.1:5000', 'reg.local/path', 'user@reg.local', 'reg.local:99999', 'reg.local:0', 'reg_local', '-reg.local', 'reg.local:port'])(
    'rejects %s with an error naming the input', (bad) => {
      expect(() => parseInsecureRegistries(`ok.local\n${bad}`)).toThrow(/^input "insecure-registries": ".*" is not accepted: expected registry hosts with an optional port/);
    });
});

describe('isInsecureRegistry / isLoopbackRegistry', () => {
  test('an entry with a port matches that port only; one without matches any port', () => {
    const list = ['127.0.0.1:5000', 'reg.local'];
    expect(isInsecureRegistry('127.0.0.1:5000', list)).toBe(true);
    expect(isInsecureRegistry('127.0.0.1:5001', list)).toBe(false);
    expect(isInsecureRegistry('127.0.0.1', list)).toBe(false);
    expect(isInsecureRegistry('reg.local:8080', list)).toBe(true);
    expect(isInsecureRegistry('REG.local', list)).toBe(true);
    expect(isInsecureRegistry('reg.local.example.com', list)).toBe(false);
    expect(isInsecureRegistry('myreg.azurecr.io', [])).toBe(false);
  });

  test('loopback is localhost, 127/8 and [::1]', () => {
    for (const r of ['localhost', 'localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000']) expect(isLoopbackRegistry(r), r).toBe(true);
    for (const r of ['myreg.azurecr.io', '10.0.0.1:5000', '127.0.0.1.nip.io', 'localhost.example.com', '[::2]:5000']) expect(isLoopbackRegistry(r), r).toBe(false);
  });
});

describe('readInputs with insecure-registries', () => {
  test('https is the default, also for loopback; http only when named', () => {
    expect(readInputs(reader({ registry: '127.0.0.1:5000' })).insecureRegistries).toEqual([]);
    expect(readInputs(reader({ registry: 'https://127.0.0.1:5000' })).insecureRegistries).toEqual([]);
    expect(readInputs(reader({ registry: 'reg.local:5000', 'insecure-registries': 'reg.local:5000' })).insecureRegistries).toEqual(['reg.local:5000']);
  });

  test('registry: http://HOST is accepted for loopback and named hosts, and refused for anything else', () => {
    expect(readInputs(reader({ registry: 'http://127.0.0.1:5000' }))).toMatchObject({ registry: '127.0.0.1:5000', insecureRegistries: ['127.0.0.1:5000'] });
    expect(readInputs(reader({ registry: 'http://reg.local', 'insecure-registries': 'reg.local' }))).toMatchObject({ registry: 'reg.local', insecureRegistries: ['reg.local'] });
    expect(() => readInputs(reader({ registry: 'http://myreg.azurecr.io' })))
      .toThrow(/^input "registry": "http:\/\/myreg.azurecr.io" is not accepted: plain http to myreg.azurecr.io needs it named in insecure-registries/);
    expect(() => readInputs(reader({ registry: 'http://myreg.azurecr.io', 'insecure-registries': 'other.local' }))).toThrow(/input "registry"/);
  });

  test('a bad entry fails before anything else is used', () => {
    expect(() => readInputs(reader({ registry: 'r.io', 'insecure-registries': 'https://r.io' }))).toThrow(/input "insecure-registries": "https:\/\/r.io"/);
  });

  test('command build refuses an insecure registry (ACR Tasks need https)', () => {
    expect(() => readInputs(reader({ command: 'build', registry: 'http://127.0.0.1:5000', image: 'app' }))).toThrow(/input "insecure-registries".*needs an https registry/);
  });
});

describe('no input turns TLS verification off', () => {
  test('action.yml has no skip-verify style input and the sources never touch NODE_TLS_REJECT_UNAUTHORIZED or rejectUnauthorized', async () => {
    const yml = await readFile(join(DIST, '..', 'action.yml'), 'utf8');
    expect(yml).not.toMatch(/^ {2}[a-z-]*(?:tls|verify|skip|cert)[a-z-]*:/m);
    for (const bundle of ['main.cjs', 'post.cjs']) {
      const text = await readFile(join(DIST, bundle), 'utf8');
      expect(text, bundle).not.toContain('NODE_TLS_REJECT_UNAUTHORIZED');
      expect(text, bundle).not.toMatch(/rejectUnauthorized:\s*false/);
    }
  });
});
