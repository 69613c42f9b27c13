/**
 * ACR's error bodies and challenges as the front sends them. Reference: acr-wire.md §1.1, §1.7.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './https-server';

/** ACR's wording for 401s. */
export const ACR_UNAUTHORIZED_MESSAGE =
  'authentication required, visit https://aka.ms/acr/authorization for more information.';

/** Sends `{"errors":[{code,message[,detail]}]}`. */
export function sendAcrError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: { detail?: unknown; headers?: Record<string, string> } = {},
): void {
  const error = extra.detail === undefined ? { code, message } : { code, message, detail: extra.detail };
  sendJson(res, status, { errors: [error] }, extra.headers);
}

/** A WWW-Authenticate Bearer challenge pointing at the front's token endpoint. */
export function bearerChallenge(frontUrl: string, service: string, scope?: string, error?: string): string {
  let value = `Bearer realm="${frontUrl}/oauth2/token",service="${service}"`;
  if (scope !== undefined) value += `,scope="${scope}"`;
  if (error !== undefined) value += `,error="${error}"`;
  return value;
}

/** Action order in the challenges the front sends (Distribution's own order varies from run to run). */
const ACTION_ORDER = ['pull', 'push', 'delete', 'metadata_read', 'metadata_write', '*'];
const rank = (action: unknown): number => {
  const i = ACTION_ORDER.indexOf(String(action));
  return i < 0 ? ACTION_ORDER.length : i;
};

/**
 * Puts the actions of a challenge's `scope` in one order (`pull,push`, as the JS SDK recordings show):
 * Distribution builds it from a Go map, so `push,pull` and `pull,push` alternate between runs.
 */
export function canonicalChallenge(header: string): string {
  return header.replace(/scope="([^"]*)"/, (_m, scope: string) => {
    const canonical = scope
      .split(' ')
      .map((one) => {
        const cut = one.lastIndexOf(':');
        if (cut < 0) return one;
        const actions = one.slice(cut + 1).split(',').sort((a, b) => rank(a) - rank(b));
        return `${one.slice(0, cut + 1)}${actions.join(',')}`;
      })
      .join(' ');
    return `scope="${canonical}"`;
  });
}

/**
 * Rewrites a Distribution error body into ACR's wording: UNAUTHORIZED gets ACR's message and detail
 * items without Distribution's extra `"Class":""`; MANIFEST_UNKNOWN for a tag says
 * `manifest tagged by "<tag>" is not found` (recorded, Go TestClient_GetManifest_wrongTag).
 * Bodies that are not Distribution errors are returned unchanged.
 */
export function acrErrorBody(body: Buffer): Buffer {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: Array<Record<string, unknown>> };
    if (!Array.isArray(parsed.errors)) return body;
    for (const e of parsed.errors) {
      const tag = (e.detail as { Tag?: unknown } | undefined)?.Tag;
      if (e.code === 'MANIFEST_UNKNOWN' && typeof tag === 'string') e.message = `manifest tagged by "${tag}" is not found`;
      if (e.code !== 'UNAUTHORIZED') continue;
      e.message = ACR_UNAUTHORIZED_MESSAGE;
      if (Array.isArray(e.detail)) {
        e.detail = (e.detail as Array<Record<string, unknown>>)
          .map((d) => ({ Type: d.Type, Name: d.Name, Action: d.Action }))
          .sort((a, b) => (a.Type === b.Type && a.Name === b.Name ? rank(a.Action) - rank(b.Action) : 0));
      }
    }
    return Buffer.from(JSON.stringify(parsed));
  } catch {
    return body;
  }
}
