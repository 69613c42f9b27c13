import type { ServerResponse } from 'node:http';
import type { AcrState } from './acr-state';
import { applyAttributes, type Attributes } from './metadata-store';
import { sendError } from './acr-responses';
import { parsePageRequest, type PageRequest } from './paging';

/** What every /acr/v1 handler gets: the state, the parsed URL and the buffered request body. */
export interface HandlerContext {
  state: AcrState;
  method: string;
  url: URL;
  body: Buffer;
  res: ServerResponse;
}

/** The paging of a listing request, or undefined after answering 400 as ACR does for a bad `n` or `orderby`. */
export function pageRequestOf(ctx: HandlerContext): PageRequest | undefined {
  const request = parsePageRequest(ctx.url.searchParams);
  if (typeof request !== 'string') return request;
  sendError(ctx.res, 400, 'PAGINATION_NUMBER_INVALID', request);
  return undefined;
}

/** Applies a PATCH body to `attributes`; answers 400 and returns false when the body is not valid. */
export function patchAttributes(ctx: HandlerContext, attributes: Attributes): boolean {
  let patch: unknown;
  try {
    patch = JSON.parse(ctx.body.toString('utf8') || '{}');
    const next = { ...attributes };
    applyAttributes(next, patch);
    Object.assign(attributes, next);
    return true;
  } catch (err) {
    sendError(ctx.res, 400, 'BAD_REQUEST', `invalid changeable attributes: ${(err as Error).message}`);
    return false;
  }
}
