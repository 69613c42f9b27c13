/**
 * Reads a response body whole, refusing to buffer more than a cap: a registry (or a proxy in front
 * of it) that answers a manifest request with gigabytes must not exhaust memory.
 */
import { NetworkError } from '../http/network-error';
import { isAbort } from '../http/retry-policy';
import { ManifestError } from '../oci/manifest';

/** Reads `response`'s body into memory, failing as soon as it exceeds `max` bytes; `what` names it in errors. */
export async function readBodyCapped(response: Response, max: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new ManifestError('TOO_LARGE', `${what} is ${declared} bytes, more than the ${max} bytes allowed`);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > max) {
        await response.body.cancel().catch(() => {});
        throw new ManifestError('TOO_LARGE', `${what} is more than the ${max} bytes allowed`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    // undici reports a body cut mid-way as a bare `TypeError: terminated`: name what was being read.
    if (err instanceof ManifestError || isAbort(err)) throw err;
    throw new NetworkError('CONNECTION_RESET', 'GET', response.url || what, `connection closed while reading ${what} (${size} bytes in)`, { cause: err });
  }
  return concat(chunks, size);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Drops a response body we do not need, so the connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}
