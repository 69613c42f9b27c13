/**
 * GitHub Actions OIDC stand-in: serves `ACTIONS_ID_TOKEN_REQUEST_URL` the way the runner does.
 * `GET <url>&audience=<aud>` with `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` answers
 * `{"value": <ID token>}`. The Entra stand-in accepts these ID tokens as federated client assertions.
 * Reference: @actions/core `OidcClient.getIDToken`; GitHub docs "About security hardening with OpenID Connect".
 */
import { generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyPair } from './ca';
import { startHttpsServer, bearerToken, sendJson, type RunningServer } from './https-server';
import { IssuedTokens } from './issued-tokens';
import { signJwt, timeClaims } from './jwt';

/** Options for the OIDC stand-in. */
export interface GithubOidcOptions {
  /** The `sub` claim; undefined means `repo:acrkit/acrkit:ref:refs/heads/main`. */
  subject?: string;
  /** ID token lifetime in seconds; undefined means 300 (GitHub's are short-lived). */
  lifetimeSeconds?: number;
  now: () => number;
}

/** The running stand-in. */
export interface GithubOidc {
  /** Value for `ACTIONS_ID_TOKEN_REQUEST_URL` (already has a query, as the runner's does). */
  requestUrl: string;
  /** Value for `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  requestToken: string;
  /** The `iss` of its ID tokens. */
  issuer: string;
  subject: string;
  publicKey: KeyObject;
  /** How many ID tokens it has issued. */
  issued(): number;
  /** The ID tokens themselves (most recent 5,000), for secret scans. */
  tokens(): string[];
  close(): Promise<void>;
}

/** Starts the OIDC stand-in on a free loopback port. */
export async function startGithubOidc(tls: KeyPair, options: GithubOidcOptions): Promise<GithubOidc> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const requestToken = randomBytes(24).toString('base64url');
  const subject = options.subject ?? 'repo:acrkit/acrkit:ref:refs/heads/main';
  const issued = new IssuedTokens('GitHub ID token');
  let server: RunningServer | undefined = undefined;
  server = await startHttpsServer(tls, async (req, res) => {
    const url = new URL(req.url ?? '/', server!.url);
    if (req.method !== 'GET' || url.pathname !== '/_apis/distributedtask/token') {
      sendJson(res, 404, { message: 'not found' });
      return;
    }
    if (bearerToken(req) !== requestToken) {
      sendJson(res, 401, { message: 'invalid ACTIONS_ID_TOKEN_REQUEST_TOKEN' });
      return;
    }
    const owner = subject.split(':')[1]?.split('/')[0] ?? 'acrkit';
    const audience = url.searchParams.get('audience') ?? `https://github.com/${owner}`;
    const now = Math.floor(options.now() / 1000);
    const value = signJwt(
      {
        ...timeClaims(now, options.lifetimeSeconds ?? 300),
        iss: server!.url,
        sub: subject,
        aud: audience,
        repository: subject.split(':')[1],
        ref: 'refs/heads/main',
        runner_environment: 'github-hosted',
      },
      privateKey,
      { kid: 'rig-oidc' },
    );
    sendJson(res, 200, { value: issued.add(value) });
  });
  return {
    requestUrl: `${server.url}/_apis/distributedtask/token?api-version=2.0`,
    requestToken,
    issuer: server.url,
    subject,
    publicKey,
    issued: () => issued.count(),
    tokens: () => issued.list(),
    close: () => server.close(),
  };
}
