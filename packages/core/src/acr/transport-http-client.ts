/**
 * An `HttpClient` for the Azure SDK pipeline that sends every request through one of our Transports.
 *
 * Why: `@azure/container-registry` only authenticates with a TokenCredential (Entra), but ACR's admin
 * user and repository-scoped tokens are username/password. Our auth-aware transport
 * (`createRegistryTransport`) already answers ACR's 401 challenge with whatever credential the host has
 * (Basic for admin/tokens, the Entra-derived refresh token, anonymous), so the SDK client is built
 * without a credential and this adapter hands it finished responses: one listing code for all kinds.
 *
 * The SDK's own (anonymous) challenge handling must stay inert: a 401 that reaches it would make it
 * fetch an anonymous token and retry with it. A 401 here means our transport already tried, so the
 * challenge header is dropped and the SDK reports the 401 as it is.
 *
 * Bodies the SDK does not stream (all of /acr/v1's JSON) are read here with a cap, and a GET whose
 * body is cut mid-read is sent once more (`readResendingOnCut`, as for the registry's own listings):
 * the SDK's retry policy is off (our transport retries) and withRetry cannot see a cut body.
 */
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { Transport, TransportRequest, TransportResponse } from '../http/transport';
import { readResendingOnCut, readBodyCapped } from '../registry/read-body';
import { acrScopesFor } from './acr-scopes';

/**
 * Cap on a metadata answer read whole. A page of 1,000 tags or manifests is well under 2 MiB even
 * with long names and many tags per manifest; 16 MiB bounds memory without cutting a real page.
 */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

export interface TransportHttpClientOptions {
  /** Scopes per request for the auth layer. If undefined, ACR's (`acrScopesFor`). */
  scopesFor?: (method: string, url: string) => string[] | undefined;
  /** Called with every request sent (tests count requests per page with it). */
  onRequest?: (request: TransportRequest) => void;
  /** Largest body read whole; if undefined, {@link MAX_METADATA_BYTES}. */
  maxBodyBytes?: number;
}

function requestBody(request: PipelineRequest): TransportRequest['body'] {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  // Metadata calls send JSON strings; content uploads (streams, blobs) go through registry/ instead.
  throw new Error(`acr: request body of type ${Object.prototype.toString.call(body)} is not supported by the transport adapter`);
}

function requestHeaders(request: PipelineRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() !== 'authorization') headers[name] = value; // credentials are the transport's business
  }
  return headers;
}

/** Creates the adapter; `transport` should be auth-aware (see the file comment). */
export function createTransportHttpClient(transport: Transport, options: TransportHttpClientOptions = {}): HttpClient {
  const scopesFor = options.scopesFor ?? acrScopesFor;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_METADATA_BYTES;
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const sent: TransportRequest = {
        method: request.method,
        url: request.url,
        headers: requestHeaders(request),
        body: requestBody(request),
        signal: request.abortSignal as AbortSignal | undefined,
        scopes: scopesFor(request.method, request.url),
      };
      const send = () => {
        options.onRequest?.(sent);
        return transport(sent);
      };
      return readResendingOnCut(sent, send, (response) => toPipelineResponse(request, response, maxBodyBytes));
    },
  };
}

/** The SDK's view of `response`: streamed when the SDK asked for a stream, else the body read whole (capped). */
async function toPipelineResponse(request: PipelineRequest, response: TransportResponse, maxBodyBytes: number): Promise<PipelineResponse> {
  const headers = createHttpHeaders();
  response.headers.forEach((value, name) => headers.set(name, value));
  if (response.status === 401) headers.delete('www-authenticate');
  const result: PipelineResponse = { request, status: response.status, headers };
  if (request.streamResponseStatusCodes?.has(response.status) && response.body) {
    result.readableStreamBody = Readable.fromWeb(response.body as unknown as NodeWebStream<Uint8Array>);
  } else {
    const what = `the answer to ${request.method.toUpperCase()} ${new URL(request.url).pathname}`;
    result.bodyAsText = new TextDecoder().decode(await readBodyCapped(response, maxBodyBytes, what));
  }
  return result;
}
