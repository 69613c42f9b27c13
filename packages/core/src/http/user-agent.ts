/**
 * The User-Agent decorator. Registries log it, and ACR support asks for it when diagnosing throttling.
 */
import type { Transport } from './transport';

/** acrkit's version, kept in step with packages/core/package.json (a test checks it). */
export const ACRKIT_VERSION = '0.1.0';

/** The default User-Agent: `acrkit/<version> (+node)`. */
export const DEFAULT_USER_AGENT = `acrkit/${ACRKIT_VERSION} (+node)`;

/**
 * Sets `User-Agent` on every request that has none. `product` (e.g. `acrkit-action/1.2.0`) is put in
 * front of {@link DEFAULT_USER_AGENT}; if undefined, the default alone is sent.
 */
export function withUserAgent(transport: Transport, product?: string): Transport {
  const value = product ? `${product} ${DEFAULT_USER_AGENT}` : DEFAULT_USER_AGENT;
  return (request) => {
    const headers = { ...request.headers };
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent')) headers['User-Agent'] = value;
    return transport({ ...request, headers });
  };
}
