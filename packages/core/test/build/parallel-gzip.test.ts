import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createParallelGzip } from '../../src/build/parallel-gzip';

const BLOCK = 64 * 1024;

/** Gzips `input` written in pieces of `piece` bytes. */
async function gzipInPieces(input: Buffer, piece: number, parallel = 3): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < input.byteLength; at += piece) pieces.push(input.subarray(at, at + piece));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(createParallelGzip({ blockSize: BLOCK, parallel }))) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

/** At least the number of gzip members: each starts with the magic bytes (compressed data may hold them too). */
function countMembers(gz: Buffer): number {
  let n = 0;
  for (let i = gz.indexOf(Buffer.from([0x1f, 0x8b, 8])); i >= 0; i = gz.indexOf(Buffer.from([0x1f, 0x8b, 8]), i + 1)) n++;
  return n;
}

describe('createParallelGzip', () => {
  const text = Buffer.from('context file line\n'.repeat(20_000)); // compressible, 360 KB: 6 blocks
  const noise = randomBytes(3 * BLOCK + 17);

  it.each([0, 1, BLOCK - 1, BLOCK, BLOCK + 1])('round-trips %i bytes through zlib and GNU gzip', async (size) => {
    const input = Buffer.concat([text, noise]).subarray(0, size);
    const gz = await gzipInPieces(input, 1000);
    expect(gunzipSync(gz).equals(input)).toBe(true);
    expect(execFileSync('gzip', ['-dc'], { input: gz }).equals(input)).toBe(true);
  });

  it('writes one member per block, in input order, and compresses', async () => {
    const input = Buffer.concat([text, noise]);
    const gz = await gzipInPieces(input, 7_777);
    expect(gunzipSync(gz).equals(input)).toBe(true);
    expect(countMembers(gz)).toBeGreaterThanOrEqual(Math.ceil(input.byteLength / BLOCK));
    expect(gz.byteLength).toBeLessThan(input.byteLength * 0.7);
  });

  it('gives the same bytes whatever the write sizes and parallelism (reproducible contexts)', async () => {
    const input = Buffer.concat([noise, text]);
    const a = await gzipInPieces(input, 100, 1);
    const b = await gzipInPieces(input, 50_000, 3);
    const c = await gzipInPieces(input, input.byteLength, 2);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
  });

  it('passes an upstream error on instead of ending the file', async () => {
    const failing = new Readable({
      read() {
        this.push(text.subarray(0, 1000));
        this.destroy(new Error('disk went away'));
      },
    });
    const gz = failing.pipe(createParallelGzip({ blockSize: BLOCK }));
    failing.on('error', (err) => gz.destroy(err));
    await expect((async () => { for await (const _ of gz) { /* drain */ } })()).rejects.toThrow('disk went away');
  });
});
