/**
 * The transport's answers: undici's dispatcher response as a {@link TransportResponse}, the part of
 * a WHATWG Response the core reads (status, headers, a web body stream, text/json/arrayBuffer).
 *
 * Why not `new Response(...)`: Node builds its global Response and Headers from its own copy of
 * undici, which it loads on first use together with zlib, perf_hooks and worker_threads. That was
 * 30 ms of every 210 ms process (the Action's steps, a push that finds everything present; bench
 * profile). Headers here keep WHATWG's reading rules: names are case-insensitive, repeated fields
 * are joined with ", ".
 */
import * as consumers from 'node:stream/consumers';
import type { Dispatcher } from 'undici';
import type { ResponseHeaders, TransportResponse } from './transport';

/** The answer's header fields, read-only (undici gives them lower-cased, repeated ones as arrays). */
export class UndiciHeaders implements ResponseHeaders {
  private readonly fields = new Map<string, string>();

  constructor(raw: Dispatcher.ResponseData['headers']) {
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) this.fields.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.fields.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.fields.has(name.toLowerCase());
  }

  /** Calls `callback` per field, by name in order, as WHATWG Headers do. */
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of [...this.fields.keys()].sort()) callback(this.fields.get(name)!, name);
  }
}

export class UndiciResponse implements TransportResponse {
  readonly status: number;
  readonly headers: UndiciHeaders;
  readonly body: ReadableStream<Uint8Array> | null;
  private consumed = false;

  /**
   * `url` is the request's (the auth layer compares its host with the request's). Without a body
   * (HEAD, 204, 304 ...) undici's stream is resumed so the connection is free for the next request.
   */
  constructor(answer: Dispatcher.ResponseData, readonly url: string, nullBody: boolean) {
    this.status = answer.statusCode;
    this.headers = new UndiciHeaders(answer.headers);
    if (nullBody) answer.body.resume();
    this.body = nullBody ? null : webBody(answer.body);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** undici's dispatcher API does not report the reason phrase; error messages use the standard one. */
  get statusText(): string {
    return '';
  }

  /** True once the body was read through a method or is held by a reader (WHATWG: "disturbed"). */
  get bodyUsed(): boolean {
    return this.consumed || (this.body?.locked ?? false);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return consumers.arrayBuffer(this.take());
  }

  async text(): Promise<string> {
    return consumers.text(this.take());
  }

  async json(): Promise<unknown> {
    return consumers.json(this.take());
  }

  /** The body to read whole, marked read: a second read fails, as with a WHATWG Response. */
  private take(): AsyncIterable<Uint8Array> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.consumed = true;
    return (this.body as AsyncIterable<Uint8Array> | null) ?? nothing();
  }
}

async function* nothing(): AsyncIterable<Uint8Array> {}

/**
 * A web stream over undici's Node body. Not `Readable.toWeb`: on Node 20 a cancel there can race a
 * queued 'data' event into an uncaught "Controller is already closed".
 */
function webBody(body: Dispatcher.ResponseData['body']): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      chunks ??= body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    cancel() {
      // Unread, undici's dump() reads a small rest so the connection is kept (destroying it closes the
      // socket); once an iterator holds the stream, dump() cannot drive it, so it is destroyed.
      if (chunks) body.destroy();
      else void body.dump().catch(() => {});
    },
  });
}
