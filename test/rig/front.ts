/**
 * The ACR front: one HTTPS server at the login server's address. It owns what only Azure has
 * (/oauth2/exchange, /oauth2/token), authenticates callers, proxies /v2 to Distribution and hands
 * everything else to its plugins (/acr/v1, ARM). Every request is recorded in the request log.
 */
import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { bearerChallenge, sendAcrError } from './acr-errors';
import type { KeyPair } from './ca';
import { authenticate } from './caller';
import type { EntraStandIn } from './entra';
import type { FrontPlugin } from './front-plugin';
import { readBody, startHttpsServer, type RunningServer } from './https-server';
import type { Identities } from './identities';
import { handleExchange } from './oauth-exchange';
import { handleToken } from './oauth-token';
import type { RequestLog } from './request-log';
import type { TokenIssuer } from './token-issuer';
import { proxyV2 } from './v2-proxy';

/** What the front needs; `distributionUrl` and `plugins` may be set after the server listens. */
export interface FrontDeps {
  identities: Identities;
  issuer: TokenIssuer;
  entra: Pick<EntraStandIn, 'verify'>;
  log: RequestLog;
  distributionUrl: string;
  plugins: FrontPlugin[];
  now: () => number;
  /** Blob GETs answer 307 to this URL when set (see blob-storage.ts). */
  blobRedirect?: (digest: string) => string;
}

/** The running front. */
export interface Front {
  server: RunningServer;
  close(): Promise<void>;
}

/** Starts the front on a free port; wire `deps.distributionUrl` before serving /v2. */
export async function startFront(tls: KeyPair, deps: FrontDeps): Promise<Front> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let server: RunningServer | undefined = undefined;
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const record = deps.log.start(req.method ?? 'GET', req.url ?? '/', deps.now());
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    res.on('close', () => {
      if (record.status === 0) record.status = res.statusCode;
    });
    res.setHeader('X-Ms-Correlation-Request-Id', randomUUID());
    res.setHeader('Access-Control-Expose-Headers', 'Docker-Content-Digest, WWW-Authenticate, Link, X-Ms-Correlation-Request-Id');
    const url = new URL(req.url ?? '/', server!.url);
    if (url.pathname === '/oauth2/exchange') {
      record.identity = await handleExchange(req, res, deps);
      return;
    }
    if (url.pathname === '/oauth2/token') {
      record.identity = await handleToken(req, url, res, deps);
      return;
    }
    const auth = authenticate(req, deps);
    record.identity = auth.caller?.identity;
    if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) {
      await proxyV2(req, res, url, auth, { ...deps, agent });
      return;
    }
    const loginServer = deps.issuer.loginServer;
    const frontUrl = server!.url;
    const body = deps.plugins.some((p) => p.handle) ? await readBody(req) : Buffer.alloc(0);
    const context = {
      url,
      body,
      caller: auth.caller,
      challenge: (scope: string) => bearerChallenge(frontUrl, loginServer, scope, auth.caller ? 'insufficient_scope' : undefined),
    };
    for (const plugin of deps.plugins) {
      if (await plugin.handle?.(req, res, context)) return;
    }
    sendAcrError(res, 404, 'NOT_FOUND', `the rig does not serve ${req.method} ${url.pathname}`);
  };
  server = await startHttpsServer(tls, serve);
  return {
    server,
    close: async () => {
      await server.close();
      agent.destroy();
    },
  };
}
