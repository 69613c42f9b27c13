/**
 * The fetch-shaped seam every registry call goes through. Decorators (retry, auth, user agent,
 * logging) wrap a Transport and return a Transport, so each concern lives in one file.
 */

/** A request body. A function is called once per attempt, so a retried upload re-reads its source. */
export type RequestBody =
  | string
  | Uint8Array
  | (() => ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array);

export interface TransportRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Byte length of `body` when it is a stream, sent as Content-Length. */
  contentLength?: number;
  /** Cancels the request, its retries and its token fetches. */
  signal?: AbortSignal;
  /**
   * Token scopes this request needs (`repository:app:pull,push`). The auth layer uses them to fetch a
   * correctly scoped token before the first attempt instead of waiting for a 401.
   */
  scopes?: string[];
  /** Do not follow redirects (the caller wants to see the 307 itself). Default: follow. */
  noRedirect?: boolean;
}

/** A response's header fields, read as WHATWG Headers read them (names case-insensitive). */
export interface ResponseHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
  forEach(callback: (value: string, name: string) => void): void;
}

/**
 * What a Transport answers: the part of a WHATWG `Response` the core reads. The undici transport
 * answers with its own small class (http/undici-response.ts); a WHATWG Response fits too, which is
 * what test transports answer with.
 */
export interface TransportResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  /** The URL this answers for: its host is compared with the request's by the auth layer. */
  readonly url: string;
  readonly headers: ResponseHeaders;
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** Performs one request; decorators add retries, auth and headers. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;
