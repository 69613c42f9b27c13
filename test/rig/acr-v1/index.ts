/**
 * The rig's `/acr/v1` part: ACR's metadata API and its locks, over a real Distribution registry.
 * The front (test/rig) loads it through the FrontPlugin seam: it authenticates callers, proxies /v2 and
 * tells this plugin about manifest pushes and deletes so that times and sizes stay consistent.
 */
import type { FrontPlugin, Refusal, V2Operation } from '../front-plugin';
import { DISALLOWED, sendError } from './acr-responses';
import { AcrState } from './acr-state';
import type { DistributionFetch } from './distribution-reader';
import { handleAcrRequest } from './handle-acr-request';
import { canDeleteManifest, canPull, canPush } from './locks';

export interface AcrV1PluginDeps {
  /** The registry name clients see (`127.0.0.1:PORT`), echoed as `registry` in bodies. */
  loginServer: string;
  /** Fetches `/v2/...` from Distribution with the front's own (all-powerful) authorisation. */
  distributionFetch: DistributionFetch;
  /** Distribution's `storage.filesystem.rootdirectory`. */
  storageDir: string;
  /** Clock for created/updated times (a Date or ms since the epoch); `Date.now` when undefined. */
  now?: () => Date | number;
}

const DISALLOWED_REFUSAL: Refusal = { ...DISALLOWED };

function header(op: V2Operation, name: string): string | undefined {
  const value = op.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createAcrV1Plugin(deps: AcrV1PluginDeps): FrontPlugin & { readonly state: AcrState } {
  const state = new AcrState(deps.loginServer, deps.distributionFetch, deps.storageDir, deps.now);
  return {
    state,
    async handle(req, res, { url, body, caller, challenge }) {
      if (!url.pathname.startsWith('/acr/v1/')) return false;
      try {
        await handleAcrRequest({ state, method: req.method ?? 'GET', url, body, res }, caller, challenge);
      } catch (err) {
        if (!res.headersSent) sendError(res, 500, 'UNKNOWN', `acr/v1 stand-in failed: ${(err as Error).message}`);
        else res.destroy(err as Error);
      }
      return true;
    },
    async beforeProxy(op) {
      if (op.kind !== 'manifest' || !op.repository || !op.reference) return undefined;
      const { repository, reference } = op;
      if (op.method === 'PUT' && !canPush(state.store, repository, reference)) return DISALLOWED_REFUSAL;
      if (op.method === 'DELETE' && !canDeleteManifest(state.store, repository, reference)) return DISALLOWED_REFUSAL;
      if ((op.method === 'GET' || op.method === 'HEAD') && !canPull(state.store, repository, reference)) return DISALLOWED_REFUSAL;
      return undefined;
    },
    async afterProxy(op, status, responseHeaders, body) {
      if (op.kind !== 'manifest' || !op.repository || !op.reference) return;
      if (op.method === 'PUT' && status === 201) {
        const digest = responseHeaders.get('docker-content-digest') ?? '';
        await state.recordPush(op.repository, op.reference, { digest, mediaType: header(op, 'content-type') ?? '', bytes: body });
      } else if (op.method === 'DELETE' && status === 202) {
        state.store.removeManifest(op.repository, op.reference);
      }
    },
  };
}
