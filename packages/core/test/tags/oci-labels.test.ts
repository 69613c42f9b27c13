import { describe, expect, test } from 'vitest';
import { computeLabels, parseSourceDateEpoch, toAnnotations } from '../../src/tags/oci-labels';
import { sanitizeImageName, sanitizeTag } from '../../src/tags/sanitize';

const context = {
  eventName: 'push', ref: 'refs/tags/v1.2.3', sha: 'abc123', repository: 'Octo/App',
  repositoryUrl: 'https://github.com/Octo/App', description: 'An app', license: 'MIT',
};

describe('computeLabels', () => {
  test('generates the eight OCI keys sorted, created from now', () => {
    const labels = computeLabels(context, { version: '1.2.3', now: new Date('2026-01-02T03:04:05Z') });
    expect(labels).toEqual({
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.description': 'An app',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.source': 'https://github.com/Octo/App',
      'org.opencontainers.image.title': 'App',
      'org.opencontainers.image.url': 'https://github.com/Octo/App',
      'org.opencontainers.image.version': '1.2.3',
    });
  });

  test('created honours SOURCE_DATE_EPOCH, overrides win, empty values are dropped', () => {
    const labels = computeLabels({ ...context, description: undefined }, {
      version: '', now: new Date(), sourceDateEpoch: '1700000000', overrides: { 'org.opencontainers.image.title': 'Custom' },
    });
    expect(labels['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20.000Z');
    expect(labels['org.opencontainers.image.title']).toBe('Custom');
    expect(labels).not.toHaveProperty('org.opencontainers.image.description');
    expect(labels).not.toHaveProperty('org.opencontainers.image.version');
  });

  test('bad SOURCE_DATE_EPOCH names the variable', () => {
    expect(() => parseSourceDateEpoch('yesterday')).toThrow(/SOURCE_DATE_EPOCH="yesterday" is not accepted; expected whole seconds/);
    expect(parseSourceDateEpoch('')).toBeUndefined();
  });

  test('annotations carry a level prefix', () => {
    expect(toAnnotations({ a: '1' }, ['manifest', 'index'])).toEqual(['manifest:a=1', 'index:a=1']);
  });
});

describe('sanitize', () => {
  test.each([
    ['feature/x', 'feature-x'], ['--x', 'x'], ['.x', 'x'], ['a  b', 'a-b'], ['ok_1.2-3', 'ok_1.2-3'], ['///', undefined], ['ü', undefined],
  ])('%s → %s', (input, out) => expect(sanitizeTag(input)).toBe(out));
  test('image names are lower-cased', () => expect(sanitizeImageName(' Octo/App ')).toBe('octo/app'));
});
