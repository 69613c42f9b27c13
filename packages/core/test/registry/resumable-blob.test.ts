/**
 * The splice logic of resumed blob downloads, on in-memory streams: where a resume starts, how a
 * 206 or a 200 answer is joined on, what is refused, and the bound on resumes.
 */
import { describe, expect, it, vi } from 'vitest';
import { NetworkError } from '../../src/http/network-error';
import { RegistryProtocolError } from '../../src/registry/registry-protocol-error';
import { bodyFrom, resumableBody, skipBytes } from '../../src/registry/resumable-blob';

const BLOB = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);

/** undici's error for a body cut mid-read. */
const cutError = () => new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });

/** Streams `bytes` in chunks of `chunk`, then errors with `fail` after `cutAt` bytes (if given). */
function source(bytes: Uint8Array, options: { chunk?: number; cutAt?: number; fail?: () => unknown } = {}): ReadableStream<Uint8Array> {
  const chunk = options.chunk ?? 128;
  const end = options.cutAt ?? bytes.length;
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= end) {
        if (options.cutAt !== undefined) controller.error((options.fail ?? cutError)());
        else controller.close();
        return;
      }
      const next = Math.min(at + chunk, end);
      controller.enqueue(bytes.slice(at, next));
      at = next;
    },
  });
}

const ranged = (offset: number, cutAt?: number) =>
  new Response(source(BLOB.subarray(offset), { cutAt: cutAt === undefined ? undefined : cutAt - offset }), {
    status: 206,
    headers: { 'content-range': `bytes ${offset}-${BLOB.length - 1}/${BLOB.length}` },
  });

async function read(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const base = { what: 'blob reg/app@sha256:abc', url: 'https://reg/v2/app/blobs/sha256:abc', delayMs: 1 };

describe('resumableBody', () => {
  it('splices a 206 answer on at the byte where the cut happened', async () => {
    const reopen = vi.fn(async (offset: number) => ranged(offset));
    const out = await read(resumableBody(source(BLOB, { cutAt: 333 }), { ...base, reopen }));
    expect(out).toEqual(BLOB);
    expect(reopen.mock.calls).toEqual([[333]]);
  });

  it('drops the first N bytes of a 200 answer (a server that ignores Range)', async () => {
    const reopen = vi.fn(async () => new Response(source(BLOB, { chunk: 100 }), { status: 200 }));
    const out = await read(resumableBody(source(BLOB, { cutAt: 250, chunk: 50 }), { ...base, reopen }));
    expect(out).toEqual(BLOB);
  });

  it('resumes three times, each at the right offset, and reports each', async () => {
    const cuts = [101, 499, undefined];
    const resumed: number[] = [];
    const reopen = vi.fn(async (offset: number) => ranged(offset, cuts[resumed.length]));
    const out = await read(resumableBody(source(BLOB, { cutAt: 17 }), { ...base, reopen, onResume: (o) => resumed.push(o) }));
    expect(out).toEqual(BLOB);
    expect(resumed).toEqual([17, 101, 499]);
    expect(reopen).toHaveBeenCalledTimes(3);
  });

  it('fails with NetworkError CONNECTION_RESET naming the download on the cut after the last resume', async () => {
    const reopen = vi.fn(async (offset: number) => ranged(offset, offset + 10));
    const err = await read(resumableBody(source(BLOB, { cutAt: 100 }), { ...base, reopen })).catch((e: unknown) => e);
    expect(NetworkError.is(err, 'CONNECTION_RESET')).toBe(true);
    expect((err as Error).message).toBe(
      'GET https://reg/v2/app/blobs/sha256:abc: connection closed while reading blob reg/app@sha256:abc (130 bytes in, after 3 resumed GETs)',
    );
    expect(reopen).toHaveBeenCalledTimes(3);
  });

  it('honours maxResumes: 0 (no resume at all)', async () => {
    const reopen = vi.fn(async (offset: number) => ranged(offset));
    const err = await read(resumableBody(source(BLOB, { cutAt: 100 }), { ...base, reopen, maxResumes: 0 })).catch((e: unknown) => e);
    expect(NetworkError.is(err, 'CONNECTION_RESET')).toBe(true);
    expect(reopen).not.toHaveBeenCalled();
  });

  it('passes an abort on as it is, without resuming', async () => {
    const abort = new DOMException('stop', 'AbortError');
    const reopen = vi.fn(async (offset: number) => ranged(offset));
    const err = await read(resumableBody(source(BLOB, { cutAt: 100, fail: () => abort }), { ...base, reopen })).catch((e: unknown) => e);
    expect(err).toBe(abort);
    expect(reopen).not.toHaveBeenCalled();
  });

  it('does not resume once the signal is aborted, and an abort during the wait ends it', async () => {
    const controller = new AbortController();
    const reopen = vi.fn(async (offset: number) => ranged(offset));
    const stream = resumableBody(source(BLOB, { cutAt: 100 }), { ...base, delayMs: 10_000, reopen, signal: controller.signal });
    const started = Date.now();
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 50);
    const err = await read(stream).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(reopen).not.toHaveBeenCalled();
  });

  it('closes without a resume when the cut comes after the last byte of a known size', async () => {
    const reopen = vi.fn(async (offset: number) => ranged(offset));
    const out = await read(resumableBody(source(BLOB, { cutAt: BLOB.length }), { ...base, size: BLOB.length, reopen }));
    expect(out).toEqual(BLOB);
    expect(reopen).not.toHaveBeenCalled();
  });

  it('passes on an error of the resumed GET itself', async () => {
    const refused = new Error('403 DENIED');
    const err = await read(resumableBody(source(BLOB, { cutAt: 100 }), { ...base, reopen: async () => Promise.reject(refused) })).catch((e: unknown) => e);
    expect(err).toBe(refused);
  });
});

describe('bodyFrom', () => {
  it.each<[string, number, Record<string, string>]>([
    ['a 206 starting elsewhere', 206, { 'content-range': 'bytes 0-999/1000' }],
    ['a 206 without Content-Range', 206, {}],
    ['a malformed Content-Range', 206, { 'content-range': 'bytes=300-999' }],
    ['a 204', 204, {}],
  ])('refuses %s', (_name, status, headers) => {
    const response = new Response(status === 204 ? null : 'x', { status, headers });
    const attempt = () => bodyFrom(response, 300, 'blob b');
    if (status === 204) expect(attempt).toThrow(/the response has no body/);
    else expect(attempt).toThrow(RegistryProtocolError);
    if (status !== 204) expect(attempt).toThrow(/^resuming blob b at byte 300: expected 206 with Content-Range from 300/);
  });

  it('accepts a 206 from the offset with an unknown total', async () => {
    const response = new Response('abc', { status: 206, headers: { 'content-range': 'bytes 300-302/*' } });
    expect(new TextDecoder().decode(await read(bodyFrom(response, 300, 'blob b')))).toBe('abc');
  });
});

describe('skipBytes', () => {
  it.each([0, 1, 127, 128, 129, 999, 1000, 1500])('drops the first %i bytes across chunk boundaries', async (n) => {
    const out = await read(source(BLOB).pipeThrough(skipBytes(n)));
    expect(out).toEqual(BLOB.subarray(Math.min(n, BLOB.length)));
  });
});
