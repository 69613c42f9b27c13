/** Wraps a Transport and records every request (method, path, query) for request-count assertions. */
import type { Transport } from '../../../src/http/transport';

export interface SeenRequest {
  method: string;
  path: string;
  query: string;
  status: number;
}

export function countingTransport(inner: Transport): Transport & { seen: SeenRequest[]; reset(): void } {
  const seen: SeenRequest[] = [];
  const transport = (async (request) => {
    const response = await inner(request);
    const url = new URL(request.url);
    seen.push({ method: request.method, path: url.pathname, query: url.search, status: response.status });
    return response;
  }) as Transport & { seen: SeenRequest[]; reset(): void };
  transport.seen = seen;
  transport.reset = () => void seen.splice(0);
  return transport;
}

/** Blob upload requests (POST/PATCH/PUT under `/blobs/uploads/`). */
export function uploads(seen: SeenRequest[]): SeenRequest[] {
  return seen.filter((r) => r.path.includes('/blobs/uploads/') && r.method !== 'HEAD');
}
