/**
 * A minimal Azure Resource Manager client on the Azure SDK's core pipeline: retries, redirects, user
 * agent and bearer tokens come from `@azure/core-rest-pipeline`, with the same TokenCredential that
 * signs in to the registry. REST calls rather than `@azure/arm-containerregistry` because 12.x dropped
 * Tasks and 11.x would pin an old major for five calls.
 *
 * Reference: https://learn.microsoft.com/rest/api/azure/#async-operations-throttling-and-paging and
 * the ARM error shape `{"error":{"code","message","details"}}`.
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { redactUrl } from '../../http/redact';

/** The public cloud's Resource Manager. */
export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

export interface ArmClientOptions {
  /** The credential used for login; it is asked for `<audience>/.default`. */
  credential: TokenCredential;
  /** Resource Manager endpoint (Azure Stack, sovereign clouds, the rig). If undefined, the public cloud. */
  endpoint?: string;
  /** Token audience. If undefined, the endpoint itself (true for the public and sovereign clouds). */
  audience?: string;
  /** Prefix for the User-Agent header, e.g. `acrkit-action/1.0`. */
  userAgentPrefix?: string;
  /** For tests. If undefined, the SDK's default HTTP client (honours proxies and NODE_EXTRA_CA_CERTS). */
  httpClient?: HttpClient;
}

export interface ArmRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the endpoint (`/subscriptions/...`) or an absolute `nextLink`. */
  path: string;
  apiVersion?: string;
  body?: unknown;
  signal?: AbortSignal;
}

/** An ARM call answered with an unexpected status. `code` is ARM's error code (`ResourceNotFound`, `TasksOperationsNotAllowed`). */
export class ArmError extends Error {
  override name = 'ArmError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${method} ${url}: ${status} ${code}: ${detail}${hint(code)}`);
  }
  static is(err: unknown, code?: string): err is ArmError {
    return err instanceof ArmError && (code === undefined || err.code === code);
  }
}

function hint(code: string): string {
  return code === 'TasksOperationsNotAllowed'
    ? ' (ACR Tasks are not available for this subscription, e.g. free or trial subscriptions; build locally instead)'
    : '';
}

export interface ArmClient {
  readonly endpoint: string;
  /** Sends one request; resolves the parsed JSON body (undefined when empty) for 2xx, else throws ArmError. */
  send<T>(request: ArmRequest): Promise<T>;
}

/** Creates an ARM client. Bad input gets an error naming it. */
export function createArmClient(options: ArmClientOptions): ArmClient {
  const endpoint = (options.endpoint ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, '');
  if (!/^https:\/\/[^/]+/.test(endpoint)) {
    throw new TypeError(`arm endpoint ${JSON.stringify(options.endpoint)} is not valid (expected an https:// URL)`);
  }
  const audience = (options.audience ?? endpoint).replace(/\/+$/, '');
  const pipeline: Pipeline = createPipelineFromOptions({
    userAgentOptions: { userAgentPrefix: options.userAgentPrefix ?? 'acrkit' },
  });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: `${audience}/.default` }));
  const httpClient = options.httpClient ?? createDefaultHttpClient();

  async function send<T>(request: ArmRequest): Promise<T> {
    const url = new URL(request.path.startsWith('https://') ? request.path : `${endpoint}${request.path}`);
    if (request.apiVersion && !url.searchParams.has('api-version')) url.searchParams.set('api-version', request.apiVersion);
    const pipelineRequest = createPipelineRequest({
      url: url.toString(),
      method: request.method,
      headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
      body: request.body === undefined ? (request.method === 'POST' ? '' : undefined) : JSON.stringify(request.body),
      abortSignal: request.signal,
    });
    const response = await pipeline.sendRequest(httpClient, pipelineRequest);
    const text = response.bodyAsText ?? '';
    if (response.status >= 200 && response.status < 300) return (text ? JSON.parse(text) : undefined) as T;
    const { code, message } = parseArmError(text);
    throw new ArmError(request.method, redactUrl(url), response.status, code ?? `HTTP${response.status}`, message ?? (text.slice(0, 500) || 'no body'));
  }
  return { endpoint, send };
}

function parseArmError(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return {
      code: typeof body.error?.code === 'string' ? body.error.code : undefined,
      message: typeof body.error?.message === 'string' ? body.error.message : undefined,
    };
  } catch {
    return {};
  }
}
