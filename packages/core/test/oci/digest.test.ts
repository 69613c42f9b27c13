import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  computeDigest,
  createDigester,
  createVerifyingStream,
  DigestMismatchError,
  InvalidDigestError,
  isValidDigest,
  parseDigest,
  verifyDigest,
} from '../../src/oci/digest';

const HELLO_SHA256 = 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
const HELLO_SHA512 =
  'sha512:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043';

async function* chunks(data: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('computeDigest', () => {
  it('hashes strings and bytes with sha256 and sha512', () => {
    expect(computeDigest('hello')).toBe(HELLO_SHA256);
    expect(computeDigest(new TextEncoder().encode('hello'))).toBe(HELLO_SHA256);
    expect(computeDigest('hello', 'sha512')).toBe(HELLO_SHA512);
    expect(computeDigest(new Uint8Array())).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes async iterables, web streams and node streams the same as bytes, across 1 MiB slices', async () => {
    const data = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    const expected = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    expect(computeDigest(data)).toBe(expected);
    expect(await computeDigest(chunks(data, 65_536))).toBe(expected);
    expect(await computeDigest(Readable.from(chunks(data, 1000)))).toBe(expected);
    const web = new Blob([data]).stream();
    expect(await computeDigest(web)).toBe(expected);
    expect(await computeDigest(chunks(data, 4096), 'sha512')).toBe(`sha512:${createHash('sha512').update(data).digest('hex')}`);
  });

  it('createDigester counts bytes', () => {
    const d = createDigester();
    d.update('he');
    d.update(new TextEncoder().encode('llo'));
    expect(d.size).toBe(5);
    expect(d.digest()).toBe(HELLO_SHA256);
  });
});

describe('parseDigest', () => {
  it('splits a valid digest', () => {
    expect(parseDigest(HELLO_SHA256)).toEqual({ algorithm: 'sha256', hex: HELLO_SHA256.slice(7) });
    expect(parseDigest(HELLO_SHA512).algorithm).toBe('sha512');
  });

  it.each([
    ['', 'expected "algorithm:hex"'],
    ['abc', 'expected "algorithm:hex"'],
    [':abc', 'expected "algorithm:hex"'],
    [`md5:${'a'.repeat(32)}`, 'unsupported algorithm "md5"'],
    [`sha256:${'a'.repeat(63)}`, 'sha256 needs 64 hex characters, got 63'],
    [`sha256:${'a'.repeat(65)}`, 'got 65'],
    [`sha512:${'a'.repeat(64)}`, 'sha512 needs 128'],
    [`sha256:${'G'.repeat(64)}`, 'lowercase hexadecimal'],
    [`SHA256:${'a'.repeat(64)}`, 'unsupported algorithm'],
  ])('%j is refused: %s', (input, reason) => {
    expect(() => parseDigest(input)).toThrow(InvalidDigestError);
    expect(() => parseDigest(input)).toThrow(reason);
    expect(isValidDigest(input)).toBe(false);
  });
});

describe('verifyDigest', () => {
  it('accepts matching content and rejects other content with DigestMismatchError', async () => {
    expect(() => verifyDigest('hello', HELLO_SHA256)).not.toThrow();
    expect(() => verifyDigest('hello', HELLO_SHA512)).not.toThrow();
    expect(() => verifyDigest('hullo', HELLO_SHA256, 'blob')).toThrow(/^blob digest mismatch: expected sha256:2cf2.*, got sha256:/);
    await expect(verifyDigest(chunks(new TextEncoder().encode('hello'), 2), HELLO_SHA256)).resolves.toBeUndefined();
    const err = await verifyDigest(chunks(new TextEncoder().encode('hullo'), 2), HELLO_SHA256).catch((e: unknown) => e);
    expect(DigestMismatchError.is(err)).toBe(true);
    expect((err as DigestMismatchError).expected).toBe(HELLO_SHA256);
  });

  it('refuses a malformed expected digest before reading', () => {
    expect(() => verifyDigest('hello', 'sha256:nope')).toThrow(InvalidDigestError);
  });
});

describe('createVerifyingStream', () => {
  const run = (text: string, digest: string, size?: number) =>
    new Response(new Blob([text]).stream().pipeThrough(createVerifyingStream(digest, size))).text();

  it('passes content through when digest and size match', async () => {
    await expect(run('hello', HELLO_SHA256, 5)).resolves.toBe('hello');
  });

  it('errors at the end on a wrong digest, and on a wrong size', async () => {
    await expect(run('hullo', HELLO_SHA256)).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(run('hello', HELLO_SHA256, 4)).rejects.toThrow(/more than 4 bytes/);
    await expect(run('hello', HELLO_SHA256, 6)).rejects.toThrow(/5 of 6 bytes/);
  });
});
