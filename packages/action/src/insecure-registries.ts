/**
 * Which registries the Action may reach over plain http (issue 7). TLS verification is always on and
 * an https registry never falls back to http: http is used only for a registry the user names in the
 * `insecure-registries` input, or a loopback one given as `registry: http://127.0.0.1:5000`.
 */
import { InputError } from './input-error';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(?::(\d{1,5}))?$/;

/**
 * Parses `insecure-registries`: hosts with an optional port, separated by newlines or commas;
 * `#` starts a comment line. Lower-cased; no scheme, path or credentials.
 */
export function parseInsecureRegistries(raw: string): string[] {
  const out: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line.trim().startsWith('#')) continue;
    for (const part of line.split(',')) {
      const host = part.trim().toLowerCase();
      if (host === '') continue;
      const m = HOST.exec(host);
      if (!m || (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 65535))) {
        throw new InputError('insecure-registries', host, 'registry hosts with an optional port (127.0.0.1:5000, registry.local), separated by newlines or commas, without a scheme or path');
      }
      if (!out.includes(host)) out.push(host);
    }
  }
  return out;
}

function splitHost(registry: string): { host: string; port?: string } {
  const m = /^(.*?)(?::(\d+))?$/.exec(registry)!;
  return { host: m[1]!, port: m[2] };
}

/** True for `localhost`, `127.x.x.x` and `[::1]`, with any port. */
export function isLoopbackRegistry(registry: string): boolean {
  const { host } = splitHost(registry.toLowerCase());
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * True when `registry` (host[:port]) is named in the list: an entry with a port matches that port
 * only, an entry without one matches the host on any port.
 */
export function isInsecureRegistry(registry: string, insecureRegistries: readonly string[]): boolean {
  const r = registry.toLowerCase();
  const { host } = splitHost(r);
  return insecureRegistries.some((entry) => entry === r || (splitHost(entry).port === undefined && entry === host));
}
