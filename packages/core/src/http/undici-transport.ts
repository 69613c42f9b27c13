/**
 * The bottom Transport: undici's dispatcher API (`dispatcher.request`) with proxies from the
 * environment, streamed request bodies, and redirects followed here so credentials never reach
 * another host. Answers are {@link TransportResponse}s (http/undici-response.ts).
 *
 * Why not undici's `fetch`: with `redirect: 'manual'` it tees every streamed request body (so it could
 * replay a 307): each chunk is copied and the unread branch holds the whole upload until collected,
 * a GiB of RSS and a third of the CPU on a 1 GiB layer (bench profile). It is also the larger half of
 * undici for every process start to load. Redirects are followed below by calling the body function
 * again, so nothing of fetch's is missed.
 *
 * Node's TLS honours NODE_EXTRA_CA_CERTS, so private CAs need no option here.
 */
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { discardBody } from './discard-body';
import { NetworkError } from './network-error';
import { isAbort } from './retry-policy';
import type { RequestBody, Transport, TransportRequest, TransportResponse } from './transport';
import { UndiciResponse } from './undici-response';

/** Options of {@link createUndiciTransport}. */
export interface UndiciTransportOptions {
  /** The undici dispatcher; if undefined, one from {@link createDispatcher} for `env`. */
  dispatcher?: Dispatcher;
  /** Where proxy variables are read from; if undefined, `process.env`. */
  env?: Record<string, string | undefined>;
  /** Redirects followed before giving up; if undefined, 10 (as browsers and Docker do). */
  maxRedirects?: number;
}

/** Hosts that are never proxied, whatever NO_PROXY says: a local registry must not go through a proxy. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1', '[::1]'];

/** Headers that carry credentials and must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Creates the dispatcher for `env`: an EnvHttpProxyAgent when HTTPS_PROXY/HTTP_PROXY (either case)
 * is set, with loopback hosts added to NO_PROXY; otherwise a plain Agent.
 */
export function createDispatcher(env: Record<string, string | undefined> = process.env): Dispatcher {
  const httpsProxy = env.HTTPS_PROXY ?? env.https_proxy;
  const httpProxy = env.HTTP_PROXY ?? env.http_proxy;
  if (!httpsProxy && !httpProxy) return sharedAgent();
  const noProxy = [env.NO_PROXY ?? env.no_proxy, ...LOOPBACK_HOSTS].filter(Boolean).join(',');
  return new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy });
}

let agent: Agent | undefined;
/** One connection pool for every transport without a proxy, so many clients share keep-alive sockets. */
function sharedAgent(): Agent {
  agent ??= new Agent();
  return agent;
}

/** Creates the undici transport. Every call honours `request.signal`; bodies may be streams. */
export function createUndiciTransport(options: UndiciTransportOptions = {}): Transport {
  const dispatcher = options.dispatcher ?? createDispatcher(options.env);
  const maxRedirects = options.maxRedirects ?? 10;
  return async (request) => {
    let current = request;
    for (let hop = 0; ; hop++) {
      const response = await send(current, dispatcher);
      const location = response.headers.get('location');
      if (request.noRedirect || !isRedirect(response.status) || location === null) return response;
      if (hop >= maxRedirects) {
        await discardBody(response);
        throw new NetworkError('TOO_MANY_REDIRECTS', request.method, request.url, `more than ${maxRedirects} redirects`);
      }
      await discardBody(response);
      current = redirectedRequest(current, response.status, new URL(location, current.url));
    }
  };
}

async function send(request: TransportRequest, dispatcher: Dispatcher): Promise<TransportResponse> {
  const headers: Record<string, string> = { ...request.headers };
  const body = materialize(request.body);
  if (request.contentLength !== undefined && !hasHeader(headers, 'content-length')) {
    headers['content-length'] = String(request.contentLength);
  }
  // Registries serve blobs as stored; a transparently decompressed body would fail its digest check.
  if (!hasHeader(headers, 'accept-encoding')) headers['accept-encoding'] = 'identity';
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  try {
    const answer: Dispatcher.ResponseData = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      // undici writes strings, bytes and (async) iterables straight to the socket, honouring backpressure.
      body: body as Dispatcher.DispatchOptions['body'],
      // undici closes the connection after every HEAD unless told otherwise (for servers that send a
      // body anyway); registries do not, and blob HEADs are the most frequent request of a push.
      ...(method === 'HEAD' && { reset: false }),
      signal: request.signal,
    });
    return toResponse(answer, method, request.url);
  } catch (err) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (isAbort(err)) throw err;
    throw NetworkError.fromFetchError(request.method, request.url, err);
  }
}

/** Wraps undici's answer in the Transport contract's response. */
function toResponse(answer: Dispatcher.ResponseData, method: string, url: string): TransportResponse {
  return new UndiciResponse(answer, url, NULL_BODY_STATUSES.has(answer.statusCode) || method === 'HEAD');
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** A function body is called per attempt so a retried or redirected request re-reads its source. */
function materialize(body: RequestBody | undefined): unknown {
  return typeof body === 'function' ? body() : body;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * The request for the next hop. 303 (and 301/302 after a non-GET, as browsers do) become a GET
 * without body; 307/308 keep method and body. Credentials are dropped when the origin changes
 * (ACR blob GETs redirect to Azure Storage with a SAS URL that needs none), and an https → http
 * downgrade is refused except to loopback.
 */
export function redirectedRequest(request: TransportRequest, status: number, target: URL): TransportRequest {
  const from = new URL(request.url);
  if (from.protocol === 'https:' && target.protocol !== 'https:' && !isLoopback(target.hostname)) {
    throw new NetworkError('INSECURE_REDIRECT', request.method, request.url, `refusing redirect from https to ${target.protocol}//${target.host}`);
  }
  let headers = { ...request.headers };
  if (target.origin !== from.origin) {
    headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k.toLowerCase())));
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && request.method !== 'GET' && request.method !== 'HEAD');
  if (!toGet) return { ...request, url: target.toString(), headers };
  headers = Object.fromEntries(
    Object.entries(headers).filter(([k]) => !['content-type', 'content-length'].includes(k.toLowerCase())),
  );
  const { body: _body, contentLength: _length, ...rest } = request;
  return { ...rest, method: request.method === 'HEAD' ? 'HEAD' : 'GET', url: target.toString(), headers };
}

/** True for `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
