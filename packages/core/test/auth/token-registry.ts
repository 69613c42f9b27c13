/**
 * A miniature token-auth registry on 127.0.0.1:0 for the auth tests: `/v2/*` demands a Bearer token
 * (or Basic, when configured) and `/token` issues tokens the way Distribution and ACR do. Not a test file.
 */
import type http from 'node:http';
import { sendJson, startServer, type TestServer } from '../http/test-server';

export const ADMIN = { username: 'admin', password: 'pw-SECRET-hunter2' };
export const REFRESH_TOKEN = 'rt-SECRET-refresh-0123456789';

export interface TokenRegistryOptions {
  /** Accept Basic directly on /v2 and challenge with Basic instead of Bearer. */
  basic?: boolean;
  /** Allow anonymous token requests (pull only). */
  anonymous?: boolean;
  /** Lifetime in seconds put in `expires_in`; undefined: a JWT with `exp` in an hour. */
  expiresIn?: number;
  /** Answer tokens as `token` (Docker) instead of `access_token` (ACR). */
  dockerField?: boolean;
  /** Registry answers 401 for every token (as if it expired early) when true. */
  refuseAllTokens?: boolean;
  /** Custom handler for authorized /v2 requests; return true when handled. */
  registryHook?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** Custom handler for /token; return true when handled. */
  tokenHook?: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => boolean;
}

export interface TokenRegistry extends TestServer {
  issued: Map<string, string[]>;
  /** Every token ever minted (for secret scans; `issued` forgets revoked ones). */
  minted: string[];
  tokenRequests: () => number;
  registryRequests: () => number;
  /** Invalidate every issued token (the "expired early" fault). */
  revokeAll(): void;
  options: TokenRegistryOptions;
}

let counter = 0;
const mint = (exp: number) =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ exp, n: ++counter })).toString('base64url')}.SECRET-sig-${counter}`;

export async function startTokenRegistry(options: TokenRegistryOptions = {}): Promise<TokenRegistry> {
  const issued = new Map<string, string[]>();
  const minted: string[] = [];
  const server = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') return token(req, res, body, url);
    return registry(req, res, url);
  });
  const challenge = (scope: string, error?: string) =>
    options.basic
      ? 'Basic realm="test"'
      : `Bearer realm="${server.url}/token",service="${server.host}",scope="${scope}"${error ? `,error="${error}"` : ''}`;

  function token(req: http.IncomingMessage, res: http.ServerResponse, body: string, url: URL): void {
    if (options.tokenHook?.(req, res, body)) return;
    let scopes: string[];
    let identity: 'admin' | 'anonymous' | undefined;
    if (req.method === 'POST') {
      const form = new URLSearchParams(body);
      scopes = form.getAll('scope');
      if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === REFRESH_TOKEN && form.get('service') === server.host) identity = 'admin';
    } else {
      scopes = url.searchParams.getAll('scope');
      const auth = req.headers.authorization;
      if (auth === `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`) identity = 'admin';
      else if (!auth && options.anonymous) identity = 'anonymous';
      if (url.searchParams.get('service') !== server.host) identity = undefined;
    }
    if (!identity) return sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] });
    const granted = identity === 'anonymous' ? scopes.map((s) => s.replace(/:[^:]*$/, ':pull')) : scopes;
    const value = mint(Math.floor(Date.now() / 1000) + 3600);
    issued.set(value, granted);
    minted.push(value);
    const field = options.dockerField ? 'token' : 'access_token';
    sendJson(res, 200, { [field]: value, ...(options.expiresIn !== undefined && { expires_in: options.expiresIn }) });
  }

  function registry(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const match = /^\/v2\/(.+)\/(manifests|blobs|tags)\//.exec(url.pathname);
    const action = req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'push';
    const scope = match ? `repository:${match[1]}:${action}` : '';
    const auth = req.headers.authorization ?? '';
    const unauthorized = (error?: string) => {
      res.writeHead(401, { 'www-authenticate': challenge(scope, error), 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    };
    if (options.basic) {
      if (auth !== `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`) return unauthorized();
      return sendJson(res, 200, { ok: true });
    }
    const granted = auth.startsWith('Bearer ') ? issued.get(auth.slice(7)) : undefined;
    if (!granted || options.refuseAllTokens) return unauthorized();
    if (scope && !granted.some((g) => covers(g, scope))) return unauthorized('insufficient_scope');
    if (options.registryHook?.(req, res)) return;
    sendJson(res, 200, { ok: true, path: url.pathname });
  }

  return {
    ...server,
    issued,
    minted,
    options,
    tokenRequests: () => server.requests.filter((r) => r.url.startsWith('/token')).length,
    registryRequests: () => server.requests.filter((r) => r.url.startsWith('/v2')).length,
    revokeAll: () => issued.clear(),
  };
}

function covers(granted: string, wanted: string): boolean {
  const g = granted.split(':');
  const w = wanted.split(':');
  return g[0] === w[0] && g[1] === w[1] && (g[2] ?? '').split(',').includes(w[2] ?? '');
}
