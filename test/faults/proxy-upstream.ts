/**
 * The fault proxy's forwarding half: sends a client request on to the upstream server (the rig's
 * front, or Azurite), and passes the answer back whole, changed, or as it streams. Token realms in
 * WWW-Authenticate are rewritten to the proxy so token requests come back through it.
 */
import { request as httpsRequest, type Agent } from 'node:https';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { rewriteRealm, type Answer } from './fault-rules';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/** Forwarding to one upstream origin on behalf of the proxy at `proxyUrl()`. */
export class Upstream {
  constructor(private readonly origin: string, private readonly agent: Agent, private readonly proxyUrl: () => string) {}

  /** Sends the request upstream (body streamed, or `body` when given) and resolves with its answer. */
  forward(req: IncomingMessage, body?: Buffer): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const up = this.open(req, resolve);
      up.on('error', reject);
      req.on('close', () => !req.complete && up.destroy());
      if (body) up.end(body);
      else req.pipe(up);
    });
  }

  /** An upstream request the caller writes to (for partial bodies); its answer is ignored. */
  writer(req: IncomingMessage): ClientRequest {
    const up = this.open(req, (r) => r.resume());
    up.on('error', () => {});
    return up;
  }

  /** The answer's headers for the client: hop-by-hop ones dropped, the token realm pointed at the proxy. */
  answerHeaders(up: IncomingMessage): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
    const challenge = rewriteRealm(out['www-authenticate'], this.origin, this.proxyUrl());
    if (challenge) out['www-authenticate'] = challenge;
    return out;
  }

  /** Forwards and hands the whole answer to `change` before sending it. */
  async forwardChanged(req: IncomingMessage, res: ServerResponse, change: (a: Answer) => Answer | Promise<Answer>): Promise<void> {
    const up = await this.forward(req);
    const answer = await change({ status: up.statusCode ?? 502, headers: this.answerHeaders(up), body: await readAll(up) });
    const { 'content-length': _length, 'transfer-encoding': _te, ...rest } = answer.headers;
    const headers = answer.chunked ? rest : { ...rest, 'content-length': String(answer.body.length) };
    res.writeHead(answer.status, headers);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  }

  /** Forwards untouched, streaming both ways; 502 when the upstream does not answer. */
  async pass(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const up = await this.forward(req).catch(() => undefined);
    if (!up) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAVAILABLE","message":"fault proxy: upstream did not answer"}]}');
      return;
    }
    res.writeHead(up.statusCode ?? 502, this.answerHeaders(up));
    res.on('close', () => !up.complete && up.destroy());
    up.pipe(res);
  }

  private open(req: IncomingMessage, onAnswer: (r: IncomingMessage) => void): ClientRequest {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.has(k)));
    headers.host = new URL(this.origin).host;
    return httpsRequest(new URL(req.url ?? '/', this.origin), { method: req.method, headers, agent: this.agent }, onAnswer);
  }
}

/** Reads a whole message body. */
export async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Waits for the client's request body to end, discarding it. */
export async function drain(req: IncomingMessage): Promise<void> {
  if (req.complete) return;
  await new Promise<void>((r) => {
    req.on('end', r);
    req.on('close', r);
    req.resume();
  });
}

/** Ends both sides abruptly; after a short delay when `up` exists, so what was written to it has left. */
export function cut(req: IncomingMessage, up: ClientRequest | undefined): void {
  setTimeout(() => {
    up?.destroy();
    req.socket.destroy();
  }, up ? 50 : 0);
}
