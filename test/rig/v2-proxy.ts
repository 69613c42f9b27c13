/**
 * Proxies `/v2/*` to Distribution, streaming bodies both ways (blob uploads of any size never buffer).
 * Status and headers pass through (`Location` stays relative, `Docker-Content-Digest`, `Link`, `Range`,
 * `Docker-Upload-Uuid`); 401 bodies get ACR's wording. Plugins may refuse a request first and are told
 * the outcome before the client is answered, so /acr/v1 is consistent once the client sees its 201.
 * Reference: acr-wire.md §3, §3.1.
 */
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { acrErrorBody, canonicalChallenge, sendAcrError } from './acr-errors';
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
  /** When set, blob GETs that Distribution can serve answer 307 to this URL instead (as ACR does). */
  blobRedirect?: (digest: string) => string;
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

  const target = new URL(url.pathname + url.search, deps.distributionUrl);
  if (deps.blobRedirect && op.kind === 'blob' && op.method === 'GET' && /^sha256:[0-9a-f]{64}$/.test(op.reference ?? '')) {
    // A ranged GET is redirected like any other (storage honours the range); the existence check must not
    // carry the Range, or Distribution's 206 would skip the redirect.
    const { range: _range, ...headHeaders } = headers;
    const head = await forward(req, target, 'HEAD', headHeaders, Buffer.alloc(0), deps.agent).catch(() => undefined);
    head?.resume();
    if (head?.statusCode === 200) return redirectToBlob(res, op, head, deps);
  }
  const up = await forward(req, target, op.method, headers, manifest, deps.agent).catch((err: Error) => err);
  if (up instanceof Error) {
    if (!res.headersSent) sendAcrError(res, 502, 'UNAVAILABLE', 'the registry behind the rig did not answer');
    return 502;
  }

  const status = up.statusCode ?? 502;
  const out = responseHeaders(up);
  // Error bodies are small: read them whole to put them in ACR's wording.
  let errorBody: Buffer | undefined;
  if (status === 401 || (status === 404 && op.kind === 'manifest' && op.method === 'GET')) {
    errorBody = acrErrorBody(await readBody(up));
    const challenge = out['www-authenticate'];
    if (typeof challenge === 'string') out['www-authenticate'] = canonicalChallenge(challenge);
    out['content-length'] = String(errorBody.length);
    out['content-type'] = 'application/json; charset=utf-8';
  }
  const told = manifest && status >= 200 && status < 300 ? manifest : Buffer.alloc(0);
  for (const plugin of deps.plugins) await plugin.afterProxy?.(op, status, toFetchHeaders(out), told);
  res.writeHead(status, out);
  if (errorBody) res.end(errorBody);
  else {
    res.on('close', () => {
      if (!up.complete) up.destroy();
    });
    up.pipe(res);
  }
  return status;
}

/** Sends one request to Distribution: `body` undefined streams the client's body through. */
function forward(req: IncomingMessage, target: URL, method: string, headers: IncomingHttpHeaders, body: Buffer | undefined, agent: Agent): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const upReq = request(target, { method, headers, agent }, resolve);
    upReq.on('error', reject);
    // Many small requests (HEAD, POST, PUT) go one after another: no Nagle delay on the loopback hop.
    upReq.setNoDelay(true);
    // A client that goes away mid-upload must not leave Distribution waiting for the rest.
    req.on('close', () => {
      if (!req.complete) upReq.destroy();
    });
    if (body) upReq.end(body);
    else req.pipe(upReq);
  });
}

/** ACR's 307 to Blob Storage, with its exact body shape. Reference: acr-wire.md §3 step 4. */
async function redirectToBlob(res: ServerResponse, op: V2Operation, head: IncomingMessage, deps: ProxyDeps): Promise<number> {
  const location = deps.blobRedirect!(op.reference!);
  const body = `<a href="${location.replace(/&/g, '&amp;')}">Temporary Redirect</a>.\n\n`;
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    location,
    'docker-content-digest': String(head.headers['docker-content-digest'] ?? op.reference),
    'docker-distribution-api-version': 'registry/2.0',
  };
  for (const plugin of deps.plugins) await plugin.afterProxy?.(op, 307, toFetchHeaders(headers), Buffer.alloc(0));
  res.writeHead(307, headers).end(body);
  return 307;
}
