/** A loopback HTTP server driven by one handler, for odd registry answers (ggcr's teapot tests). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createUndiciTransport } from '../../../src/http/undici-transport';
import type { Transport } from '../../../src/http/transport';

export interface TinyServer {
  /** `127.0.0.1:<port>` */
  host: string;
  /** Every request seen: method, url (path + query) and headers. */
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage & { body: Buffer }, res: ServerResponse) => void | Promise<void>;

export async function startTinyServer(handler: Handler): Promise<TinyServer> {
  const requests: TinyServer['requests'] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      return; // the client went away (abort tests)
    }
    const body = Buffer.concat(chunks);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    try {
      await handler(Object.assign(req, { body }), res);
    } catch (err) {
      res.statusCode = 599;
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Sends a JSON body with a status and extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Starts tiny servers for one test file and closes them after each test: `const start = tinyServers()`. */
export function tinyServers(): (handler: Handler) => Promise<TinyServer> {
  const servers: TinyServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (handler) => {
    const server = await startTinyServer(handler);
    servers.push(server);
    return server;
  };
}

/** The token a request that names scopes carries through {@link withRegistryToken}. */
export const REGISTRY_TOKEN = 'Bearer registry-secret';

/** Stands in for the auth layer over a plain undici transport: every request that names scopes gets {@link REGISTRY_TOKEN}. */
export function withRegistryToken(transport: Transport = createUndiciTransport()): Transport {
  return (request) => transport(request.scopes ? { ...request, headers: { ...request.headers, authorization: REGISTRY_TOKEN } } : request);
}
