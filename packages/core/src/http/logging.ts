/**
 * The logging decorator: one debug line per HTTP exchange with method, redacted URL, status and
 * duration. Headers and bodies are never logged (they carry tokens).
 */
import type { Logger } from '../log';
import { redactUrl } from './redact';
import type { Transport } from './transport';

/** Options of {@link withLogging}. */
export interface LoggingOptions {
  /** Clock for durations; if undefined, `performance.now`. */
  now?: () => number;
}

/** Logs each request at debug level: `GET https://host/v2/ -> 401 (12 ms)` or `... -> failed: <reason>`. */
export function withLogging(transport: Transport, logger: Logger, options: LoggingOptions = {}): Transport {
  const now = options.now ?? (() => performance.now());
  return async (request) => {
    const start = now();
    const line = `${request.method.toUpperCase()} ${redactUrl(request.url)}`;
    try {
      const response = await transport(request);
      logger.debug(`${line} -> ${response.status} (${Math.round(now() - start)} ms)`);
      return response;
    } catch (err) {
      logger.debug(`${line} -> failed after ${Math.round(now() - start)} ms: ${describeFailure(err)}`);
      throw err;
    }
  };
}

/** A short reason for a failed exchange: the error name and a code, never a message that may echo a URL. */
export function describeFailure(err: unknown): string {
  const names: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    names.push(typeof code === 'string' ? `${current.name} ${code}` : current.name);
    current = current.cause;
  }
  return names.length > 0 ? names.join(' <- ') : String(err);
}
