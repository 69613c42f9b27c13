import { describe, expect, it } from 'vitest';
import { describeInvalidTag, isValidTag, TAG_PATTERN } from '../../src/ref/tag';

describe('tags', () => {
  it.each(['latest', 'v1.2.3', '_x', '1', 'A-b_c.d', 'x'.repeat(128), 'sha-0a1b2c3'])('%s is valid', (tag) => {
    expect(isValidTag(tag)).toBe(true);
    expect(TAG_PATTERN.test(tag)).toBe(true);
    expect(describeInvalidTag(tag)).toBeUndefined();
  });

  it.each([
    ['', 'tag is empty'],
    ['-x', 'must start with'],
    ['.x', 'must start with'],
    ['a/b', 'contains "/"'],
    ['a:b', 'contains ":"'],
    ['a b', 'contains " "'],
    ['ü', 'must start with'],
    ['x'.repeat(129), 'maximum is 128'],
  ])('%j is invalid: %s', (tag, reason) => {
    expect(isValidTag(tag)).toBe(false);
    expect(describeInvalidTag(tag)).toContain(reason);
  });
});
