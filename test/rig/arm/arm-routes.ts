/**
 * The stand-in's Resource Manager routes: subscriptions and registries listing, and the ACR Tasks
 * operations of a quick build, with ARM's error shape `{"error":{"code","message"}}`.
 *
 * Reference: azure-rest-api-specs containerregistry 2019-06-01-preview examples; acr-wire.md §4.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../https-server';
import type { DockerBuildRequestBody, RunRecord } from './run-record';

/** A directory the caller can sign in to (`GET /tenants`). */
export interface ArmTenant { tenantId: string; displayName: string; defaultDomain?: string }

export interface ArmState {
  tenants: ArmTenant[];
  subscriptionId: string;
  resourceGroup: string;
  registryName: string;
  loginServer: string;
  /** `/subscriptions/.../registries/<name>` */
  registryId: string;
  runs: Map<string, RunRecord>;
  /** Creates and queues a run. */
  schedule(request: DockerBuildRequestBody): RunRecord;
  /** SAS URLs into Azurite. */
  uploadUrl(relativePath: string): string;
  logUrl(runId: string): string;
}

export function armError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** Serves one authenticated ARM request. */
export async function routeArm(req: IncomingMessage, res: ServerResponse, url: URL, state: ArmState): Promise<void> {
  if (!url.searchParams.get('api-version')) {
    return armError(res, 400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  }
  const path = decodeURIComponent(url.pathname).replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const sub = `/subscriptions/${state.subscriptionId}`.toLowerCase();
  const lower = path.toLowerCase();
  if (method === 'GET' && lower === '/tenants') {
    return sendJson(res, 200, { value: state.tenants.map((t) => ({ id: `/tenants/${t.tenantId}`, tenantId: t.tenantId, tenantCategory: 'Home', displayName: t.displayName, defaultDomain: t.defaultDomain })) });
  }
  if (method === 'GET' && lower === '/subscriptions') {
    return sendJson(res, 200, { value: [{ id: sub, subscriptionId: state.subscriptionId, displayName: 'acrkit rig', state: 'Enabled' }] });
  }
  if (method === 'GET' && lower === `${sub}/providers/microsoft.containerregistry/registries`) {
    return sendJson(res, 200, { value: [registryJson(state)] });
  }
  const rid = state.registryId.toLowerCase();
  if (!lower.startsWith(`${rid}/`) && lower !== rid) {
    return armError(res, 404, 'ResourceNotFound', `The Resource '${path}' was not found.`);
  }
  const rest = path.slice(rid.length);
  if (method === 'GET' && rest === '') return sendJson(res, 200, registryJson(state));
  if (method === 'POST' && rest === '/listBuildSourceUploadUrl') {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 12);
    const relativePath = `source/${stamp}/${randomUUID()}.tar.gz`;
    return sendJson(res, 200, { relativePath, uploadUrl: state.uploadUrl(relativePath) });
  }
  if (method === 'POST' && rest === '/scheduleRun') return scheduleRun(req, res, state);
  const runMatch = /^\/runs\/([^/]+)(\/listLogSasUrl|\/cancel)?$/.exec(rest);
  const run = runMatch ? state.runs.get(runMatch[1]!) : undefined;
  if (runMatch && !run) return armError(res, 404, 'ResourceNotFound', `The run '${runMatch[1]}' was not found.`);
  if (run && method === 'GET' && !runMatch![2]) return sendJson(res, 200, run.toJson());
  if (run && method === 'POST' && runMatch![2] === '/listLogSasUrl') return sendJson(res, 200, { logLink: state.logUrl(run.runId) });
  if (run && method === 'POST' && runMatch![2] === '/cancel') {
    void run.abort('Canceled');
    res.writeHead(200).end();
    return;
  }
  armError(res, 405, 'MethodNotAllowed', `${method} is not supported on '${path}'.`);
}

function registryJson(state: ArmState): unknown {
  return {
    id: state.registryId,
    name: state.registryName,
    type: 'Microsoft.ContainerRegistry/registries',
    location: 'westus',
    sku: { name: 'Premium', tier: 'Premium' },
    properties: { loginServer: state.loginServer, provisioningState: 'Succeeded', adminUserEnabled: true },
  };
}

async function scheduleRun(req: IncomingMessage, res: ServerResponse, state: ArmState): Promise<void> {
  let body: DockerBuildRequestBody;
  try {
    body = JSON.parse((await readBody(req)).toString()) as DockerBuildRequestBody;
  } catch {
    return armError(res, 400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  const problem = checkRequest(body);
  if (problem) return armError(res, 400, 'InvalidParameter', problem);
  const run = state.schedule(body);
  sendJson(res, 200, run.toJson());
}

/** The checks ARM makes on a DockerBuildRequest (required fields, timeout range, platform). */
function checkRequest(body: DockerBuildRequestBody): string | undefined {
  if (body?.type !== 'DockerBuildRequest') return "The run request type must be 'DockerBuildRequest'.";
  if (!Array.isArray(body.imageNames)) return 'imageNames must be an array.';
  if (body.isPushEnabled && body.imageNames.length === 0) return 'At least one image name is required when push is enabled.';
  if (!body.dockerFilePath) return 'dockerFilePath is required.';
  if (!body.sourceLocation) return 'sourceLocation is required.';
  if (!body.platform?.os) return 'platform.os is required.';
  if (body.timeout !== undefined && (body.timeout < 300 || body.timeout > 28_800)) return 'timeout must be between 300 and 28800 seconds.';
  if (!Array.isArray(body.arguments)) body.arguments = [];
  return undefined;
}
