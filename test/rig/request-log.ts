/**
 * The front's request log: every request with method, path, query, final status and caller identity,
 * so tests can count registry round trips. No header values and no bodies are kept (they carry secrets);
 * the query is kept because registries put only paging and scope parameters there.
 */

/** One request as the front saw it. */
export interface RequestRecord {
  method: string;
  /** Path without the query, as sent (percent-encoding preserved). */
  path: string;
  /** The query string including `?`, or ''. */
  query: string;
  /** Final status; 0 while the response is still being written. */
  status: number;
  /** `admin`, `token:<name>`, `entra:<clientId>`, `anonymous`, or undefined when unauthenticated. */
  identity?: string;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /**
   * Blob downloads only (paths starting `blob:`, served by the Blob Storage stand-in after a 307): whether
   * the request carried an Authorization header. A registry token must never follow the redirect.
   */
  withAuthorization?: boolean;
}

/** An append-only list of RequestRecords. */
export class RequestLog {
  readonly records: RequestRecord[] = [];

  /** Starts a record; the caller fills in status and identity as they become known. */
  start(method: string, rawUrl: string, at: number): RequestRecord {
    const q = rawUrl.indexOf('?');
    const record: RequestRecord = {
      method,
      path: q < 0 ? rawUrl : rawUrl.slice(0, q),
      query: q < 0 ? '' : rawUrl.slice(q),
      status: 0,
      at,
    };
    this.records.push(record);
    return record;
  }

  reset(): void {
    this.records.length = 0;
  }
}
