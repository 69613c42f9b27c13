/**
 * The transport every other module uses to talk to a registry: fetch, logging, user agent, retries
 * and auth composed in the one right order.
 */
import { silentLogger, type Logger } from '../log';
import { createUndiciTransport, type UndiciTransportOptions } from '../http/undici-transport';
import { withLogging } from '../http/logging';
import { withRetry, type RetryOptions } from '../http/retry';
import type { Transport } from '../http/transport';
import { withUserAgent } from '../http/user-agent';
import { withAuth } from './auth-transport';
import type { CredentialFunc } from './credential';
import type { TokenCache } from './token-cache';

/** Options of {@link createRegistryTransport}; only `credentials` is required. */
export interface RegistryTransportOptions {
  /** Credentials per registry host. */
  credentials: CredentialFunc;
  /** Product token put before `acrkit/<version> (+node)`, e.g. `acrkit-action/1.0.0`. If undefined, the default alone. */
  userAgent?: string;
  /** Gets one debug line per HTTP exchange and per retry. If undefined, silent. */
  logger?: Logger;
  /** Retry tuning; if undefined, the defaults of {@link withRetry}. */
  retry?: RetryOptions;
  /** The token cache; if undefined, one private to this transport. */
  cache?: TokenCache;
  /** The bottom transport; if undefined, {@link createUndiciTransport} with `fetch` options. */
  base?: Transport;
  /** Options for the default undici transport (proxy env, dispatcher). */
  fetch?: UndiciTransportOptions;
}

/**
 * Creates `withAuth(withRetry(withUserAgent(withLogging(fetch))))`. Auth sits outside retry so that
 * token requests are retried too, and a retried request keeps its token; the user agent and logging
 * sit innermost so that token requests carry the user agent and every attempt is logged.
 */
export function createRegistryTransport(options: RegistryTransportOptions): Transport {
  const logger = options.logger ?? silentLogger;
  const base = options.base ?? createUndiciTransport(options.fetch);
  const retried = withRetry(withUserAgent(withLogging(base, logger), options.userAgent), { logger, ...options.retry });
  return withAuth(retried, { credentials: options.credentials, logger, ...(options.cache && { cache: options.cache }) });
}
