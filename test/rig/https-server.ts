/**
 * Small helpers shared by the rig's HTTPS servers (ACR front, Entra ID stand-in, GitHub OIDC stand-in).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from './ca';

/** A listening HTTPS server on 127.0.0.1. */
export interface RunningServer {
  server: Server;
  port: number;
  /** `https://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** A request handler; a thrown error becomes a 500 without details (details could carry secrets). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Starts an HTTPS server on a free loopback port. */
export async function startHttpsServer(tls: KeyPair, handler: Handler): Promise<RunningServer> {
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    handler(req, res).catch((err: unknown) => {
      process.stderr.write(`rig: ${req.method} ${req.url?.split('?')[0]}: ${(err as Error).message}\n`);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ code: 'UNKNOWN', message: 'internal error in the rig' }] });
      else res.destroy();
    });
  });
  server.on('secureConnection', (socket) => socket.setNoDelay(true));
  // Large blob uploads stream for a long time; Node's default 5 min request timeout would cut them.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads a whole request body, refusing more than `limit` bytes (bodies read whole are small forms/JSON). */
export async function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Sends a JSON body with ACR's content type. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

/** Decodes `Authorization: Basic ...`; undefined when absent or malformed. */
export function basicCredentials(req: IncomingMessage): { username: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The token of `Authorization: Bearer ...`; undefined when absent. */
export function bearerToken(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}
