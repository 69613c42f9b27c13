/**
 * Drops a response body we do not need. A small body is read to its end rather than cancelled: with
 * undici, cancelling a body that has not finished arriving closes the connection, so every 401
 * challenge, 202 and 201 answer cost a new TLS handshake on the next request (a 300-layer push opened
 * 324 connections for 905 requests). Larger or unsized bodies are cancelled: reading them would cost
 * more than a new connection. So is a small body that does not arrive within DRAIN_TIMEOUT_MS: a
 * stalled answer must not hold up a retry.
 */

import type { TransportResponse } from './transport';

/** Bodies up to this many bytes (by Content-Length) are drained; registry answers we drop are far smaller. */
export const DRAIN_LIMIT = 64 * 1024;
/** How long a drain may take before the body is cancelled instead. */
export const DRAIN_TIMEOUT_MS = 1000;

/** Drains (small, sized, prompt) or cancels `response`'s body; never throws. */
export async function discardBody(response: TransportResponse): Promise<void> {
  if (!response.body || response.bodyUsed || response.body.locked) return;
  const length = Number(response.headers.get('content-length') ?? NaN);
  const reader = response.body.getReader();
  if (!(length <= DRAIN_LIMIT) || !(await drain(reader))) await reader.cancel().catch(() => {});
}

/** Reads `reader` to its end; false when it fails or takes longer than DRAIN_TIMEOUT_MS. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS);
  });
  const read = (async () => {
    for (;;) if ((await reader.read()).done) return true;
  })().catch(() => false);
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}
