/**
 * Follows an ACR Tasks run log: the append blob behind `listLogSasUrl`, read with ranged GETs from
 * the last byte received, each complete line handed on as soon as it arrives. The end is the blob's
 * `Complete` metadata (ACR sets it to the final status) or, failing that, the run's terminal status
 * with nothing new to read. Idle polls back off: base 1 s, doubled after every 3 empty polls, at most 15 s
 * (what azure-cli `_stream_utils.py` does, without its random jitter so tests stay exact).
 *
 * Reference: azure-cli `acr/_stream_utils.py` (`_stream_logs`), acr-wire.md §4.4.
 */
import { BlobClient, RestError } from '@azure/storage-blob';
import { setTimeout as delay } from 'node:timers/promises';
import { redactSecrets, redactUrl } from '../../http/redact';
import { LineSplitter } from './line-splitter';

export interface LogBackoff {
  /** First wait after an empty poll. If undefined, 1,000 ms. */
  baseMs?: number;
  /** Longest wait. If undefined, 15,000 ms. */
  maxMs?: number;
  /** Empty polls before the wait doubles. If undefined, 3. */
  emptyPollsPerStep?: number;
}

export interface LogStreamOptions {
  /** The SAS URL of the log blob (`logLink`). */
  logUrl: string;
  /** Called once per complete line, secrets masked, without the line break. */
  onLine: (line: string) => void;
  /** Values masked in every line (secret build arguments). */
  secrets?: readonly string[];
  /** Settles when the run reached a terminal status: the stream ends once nothing new arrives. */
  runFinished?: Promise<unknown>;
  backoff?: LogBackoff;
  /** For tests: how to wait. If undefined, a real timer. Must reject when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Largest ranged read. If undefined, 4 MiB. */
  maxReadBytes?: number;
  signal?: AbortSignal;
}

export interface LogStreamResult {
  bytes: number;
  /** The blob's `Complete` metadata value (`Succeeded`, `Failed`, ...) if it was set. */
  complete?: string;
}

/** Polls after the run is finished before giving up on a `Complete` marker that never comes. */
const FINISHED_GRACE_POLLS = 2;

/** Streams the log until it is complete, the run is finished and drained, or `signal` aborts (rejecting with its reason). */
export async function streamRunLog(options: LogStreamOptions): Promise<LogStreamResult> {
  try {
    return await follow(options);
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    // Storage errors may quote the request; the SAS signature must not travel on.
    const sig = new URL(options.logUrl).searchParams.get('sig') ?? undefined;
    throw new Error(`reading the run log ${redactUrl(options.logUrl)}: ${redactSecrets((err as Error).message ?? String(err), [sig])}`);
  }
}

async function follow(options: LogStreamOptions): Promise<LogStreamResult> {
  const blob = new BlobClient(options.logUrl);
  const base = options.backoff?.baseMs ?? 1000;
  const max = options.backoff?.maxMs ?? 15_000;
  const perStep = options.backoff?.emptyPollsPerStep ?? 3;
  const sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const splitter = new LineSplitter((line) => options.onLine(secrets.length ? redactSecrets(line, secrets) : line));
  const wake = new AbortController();
  let finished = false;
  void options.runFinished?.then(
    () => { finished = true; wake.abort(); },
    () => { finished = true; wake.abort(); },
  );
  let offset = 0;
  let empty = 0;
  let graceLeft = FINISHED_GRACE_POLLS;
  let complete: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const props = await blobState(blob, options.signal);
    complete = props.complete;
    let received = 0;
    if (props.length > offset) {
      const count = Math.min(props.length - offset, options.maxReadBytes ?? 4 * 1024 * 1024);
      received = await readRange(blob, offset, count, (chunk) => splitter.push(chunk), options.signal);
      offset += received;
    }
    if (received > 0) {
      empty = 0;
      continue;
    }
    if (complete !== undefined && offset >= props.length) break;
    if (finished && graceLeft-- <= 0) break;
    empty++;
    // perStep waits at base, then perStep at twice that, and so on up to max.
    const wait = Math.min(base * 2 ** Math.floor((empty - 1) / perStep), max);
    const signals = [wake.signal, options.signal].filter((s): s is AbortSignal => s !== undefined && !s.aborted);
    await sleep(finished ? base : wait, AbortSignal.any(signals)).catch((err) => {
      if (options.signal?.aborted) throw err;
    });
  }
  splitter.flush();
  return { bytes: offset, complete };
}

async function blobState(blob: BlobClient, signal?: AbortSignal): Promise<{ length: number; complete?: string }> {
  try {
    const props = await blob.getProperties({ abortSignal: signal });
    const key = Object.keys(props.metadata ?? {}).find((k) => k.toLowerCase() === 'complete');
    return { length: props.contentLength ?? 0, complete: key ? props.metadata![key] : undefined };
  } catch (err) {
    // The agent creates the blob when it starts; until then it does not exist.
    if (err instanceof RestError && err.statusCode === 404) return { length: 0 };
    throw err;
  }
}

/**
 * Reads `count` bytes at `offset`, passing chunks on as they arrive. A connection dropped midway
 * keeps what was received: the next poll resumes at the first byte not yet seen, so no line repeats.
 */
async function readRange(blob: BlobClient, offset: number, count: number, onChunk: (chunk: Uint8Array) => void, signal?: AbortSignal): Promise<number> {
  let received = 0;
  try {
    const response = await blob.download(offset, count, { abortSignal: signal, maxRetryRequests: 0 });
    for await (const chunk of response.readableStreamBody ?? []) {
      const bytes = chunk as Buffer;
      received += bytes.length;
      onChunk(bytes);
    }
  } catch (err) {
    if (signal?.aborted) throw err;
    if (received === 0 && !(err instanceof RestError && err.statusCode === 416)) throw err;
  }
  return received;
}
