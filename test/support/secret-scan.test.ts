import { describe, expect, test } from 'vitest';
import { expectNoSecrets, findSecrets, secretForms } from './secret-scan';

describe('expectNoSecrets', () => {
  test.each([
    ['plain', 'token=s3cr3t-value!'],
    ['percent-encoded', 'password=s3cr3t-value%21'],
    ['base64', `x ${Buffer.from('s3cr3t-value!').toString('base64')} y`],
  ])('finds a %s secret', (_form, text) => {
    expect(() => expectNoSecrets(['clean', text], ['s3cr3t-value!'])).toThrow(/text #1 holds secret #0/);
  });

  test('finds Basic credentials built from user:password', () => {
    const header = `Authorization: Basic ${Buffer.from('admin:p4ssw0rd-x').toString('base64')}`;
    expect(findSecrets([header], [{ username: 'admin', password: 'p4ssw0rd-x' }])).toEqual([{ textIndex: 0, secretIndex: 0, form: 'encoded' }]);
  });

  test('passes clean text and never prints the secret in its error', () => {
    expect(() => expectNoSecrets(['nothing to see'], ['s3cr3t-value!'])).not.toThrow();
    try {
      expectNoSecrets(['s3cr3t-value!'], ['s3cr3t-value!']);
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cr3t-value!');
    }
  });

  test('refuses secrets too short to scan for', () => {
    expect(() => secretForms('abc')).toThrow(/too short/);
  });
});
