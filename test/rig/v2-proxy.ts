/**
 * Proxies `/v2/*` to Distribution, streaming bodies both ways (blob uploads of any size never buffer).
 * Status and headers pass through (`Location` stays relative, `Docker-Content-Digest`, `Link`, `Range`,
 * `Docker-Upload-Uuid`); 401 bodies get ACR's wording. Plugins may refuse a request first and are told
 * the outcome before the client is answered, so /acr/v1 is consistent once the client sees its 201.
 * Reference: acr-wire.md §3, §3.1.
 */
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { acrUnauthorizedBody, sendAcrError } from './acr-errors';
import { tokenForScope, type Authentication } from './caller';
import type { FrontPlugin, V2Operation } from './front-plugin';
import { readBody } from './https-server';
import type { TokenIssuer } from './token-issuer';
import { parseV2Operation, scopeOf } from './v2-operation';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'expect']);

/** Manifests above this are refused by the Azure SDKs anyway (4 MiB); 16 MiB leaves room. */
const MANIFEST_LIMIT = 16 * 1024 * 1024;

/** Dependencies of the proxy. */
export interface ProxyDeps {
  distributionUrl: string;
  issuer: TokenIssuer;
  plugins: FrontPlugin[];
  agent: Agent;
}

function forwardHeaders(req: IncomingMessage, auth: Authentication, op: V2Operation, issuer: TokenIssuer): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
  headers['x-forwarded-proto'] = 'https';
  // Basic callers: Distribution only understands bearer tokens, so mint one for this operation.
  if (auth.identity) headers.authorization = `Bearer ${tokenForScope(auth.identity, scopeOf(op), issuer)}`;
  return headers;
}

function responseHeaders(up: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function toFetchHeaders(headers: Record<string, string | string[]>): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(headers)) for (const item of [v].flat()) h.append(k, item);
  return h;
}

/** Serves one /v2 request; returns the status sent. */
export async function proxyV2(req: IncomingMessage, res: ServerResponse, url: URL, auth: Authentication, deps: ProxyDeps): Promise<number> {
  const op = parseV2Operation(req.method ?? 'GET', url.pathname, req.headers);
  for (const plugin of deps.plugins) {
    const refusal = await plugin.beforeProxy?.(op, auth.caller);
    if (refusal) {
      sendAcrError(res, refusal.status, refusal.code, refusal.message);
      return refusal.status;
    }
  }
  const isManifestPut = op.kind === 'manifest' && op.method === 'PUT';
  const manifest = isManifestPut ? await readBody(req, MANIFEST_LIMIT) : undefined;
  const headers = forwardHeaders(req, auth, op, deps.issuer);
  if (manifest) headers['content-length'] = String(manifest.length);

  const up = await new Promise<IncomingMessage>((resolve, reject) => {
    const upReq = request(new URL(url.pathname + url.search, deps.distributionUrl), { method: op.method, headers, agent: deps.agent }, resolve);
    upReq.on('error', reject);
    // A client that goes away mid-upload must not leave Distribution waiting for the rest.
    req.on('close', () => {
      if (!req.complete) upReq.destroy();
    });
    if (manifest) upReq.end(manifest);
    else req.pipe(upReq);
  }).catch((err: Error) => err);
  if (up instanceof Error) {
    if (!res.headersSent) sendAcrError(res, 502, 'UNAVAILABLE', 'the registry behind the rig did not answer');
    return 502;
  }

  const status = up.statusCode ?? 502;
  const out = responseHeaders(up);
  let body401: Buffer | undefined;
  if (status === 401) {
    body401 = acrUnauthorizedBody(await readBody(up));
    out['content-length'] = String(body401.length);
    out['content-type'] = 'application/json; charset=utf-8';
  }
  const told = manifest && status >= 200 && status < 300 ? manifest : Buffer.alloc(0);
  for (const plugin of deps.plugins) await plugin.afterProxy?.(op, status, toFetchHeaders(out), told);
  res.writeHead(status, out);
  if (body401) res.end(body401);
  else {
    res.on('close', () => {
      if (!up.complete) up.destroy();
    });
    up.pipe(res);
  }
  return status;
}
