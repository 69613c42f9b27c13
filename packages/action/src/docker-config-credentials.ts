/**
 * Credentials for registries other than the `registry` input, from the Docker config an earlier login
 * step wrote (this action's, docker/login-action's, `docker login`'s), so `tag` can copy from a second
 * registry. Only `auths[host].auth` and `identitytoken` are read; credential helpers are not run.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Credential, CredentialFunc } from '@acrkit/core/auth/credential';

interface AuthEntry {
  auth?: string;
  identitytoken?: string;
}

/** Docker's spellings of one host in `auths` (`https://host`, `host/v1/`). */
function entryFor(auths: Record<string, AuthEntry>, host: string): AuthEntry | undefined {
  return auths[host] ?? auths[`https://${host}`] ?? auths[`https://${host}/v1/`] ?? auths[`http://${host}`];
}

/** Decodes one entry; undefined when it holds nothing usable. */
function credentialOf(entry: AuthEntry | undefined): Credential | undefined {
  if (!entry?.auth) return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return entry.identitytoken ? { username, refreshToken: entry.identitytoken } : { username, password };
}

/**
 * A CredentialFunc answering from `$DOCKER_CONFIG/config.json` (or `~/.docker/config.json`), read at
 * each call so a login by another step is seen; anonymous when the file or the host is missing.
 * `mask` is called on every secret it hands out.
 */
export function dockerConfigCredentials(env: NodeJS.ProcessEnv, mask: (secret: string) => void): CredentialFunc {
  const file = join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
  return async (host) => {
    let auths: Record<string, AuthEntry>;
    try {
      auths = (JSON.parse(await readFile(file, 'utf8')) as { auths?: Record<string, AuthEntry> }).auths ?? {};
    } catch {
      return undefined;
    }
    const credential = credentialOf(entryFor(auths, host));
    if (credential?.password) mask(credential.password);
    if (credential?.refreshToken) mask(credential.refreshToken);
    return credential;
  };
}
