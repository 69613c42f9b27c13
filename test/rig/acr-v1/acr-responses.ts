/**
 * ACR's response shapes, key order included, as recorded from real registries (see
 * shared/acr-data: JS SDK recordings of 2023 and the 2021-07-01 spec examples).
 */
import type { ServerResponse } from 'node:http';
import { formatAcrTime } from './acr-time';
import type { Attributes, ManifestRecord, RepositoryRecord, TagRecord } from './metadata-store';

const JSON_TYPE = 'application/json; charset=utf-8';

/** The message ACR puts in every 401 [rec]. */
export const UNAUTHORIZED_MESSAGE = 'authentication required, visit https://aka.ms/acr/authorization for more information.';

/**
 * What ACR answers when a lock forbids the operation: 405 REGISTRY_DISALLOWED_OPERATION, seen by
 * Azure/acr-cli#70 (DELETE of a write-locked tag) and Azure/azure-sdk-for-net#22827.
 */
export const DISALLOWED = {
  status: 405,
  code: 'REGISTRY_DISALLOWED_OPERATION',
  message:
    'The operation is disallowed on this registry, repository or image. View troubleshooting steps at https://aka.ms/acr/faq/#why-does-my-pull-or-push-request-fail-with-disallowed-operation',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    'Content-Length': String(Buffer.byteLength(text)),
    'Docker-Distribution-Api-Version': 'registry/2.0',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, detail?: unknown): void {
  const error = detail === undefined ? { code, message } : { code, message, detail };
  sendJson(res, status, { errors: [error] });
}

/** ACR's router answers unmatched paths (a malformed digest) in plain text [rec Go wrongDigest]. */
export function sendPlainNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '19', 'Docker-Distribution-Api-Version': 'registry/2.0' });
  res.end('404 page not found\n');
}

export function sendNameUnknown(res: ServerResponse, repository: string): void {
  sendError(res, 404, 'NAME_UNKNOWN', `repository "${repository}" is not found`);
}

export function sendTagUnknown(res: ServerResponse): void {
  sendError(res, 404, 'TAG_UNKNOWN', 'the specified tag does not exist');
}

export function sendManifestUnknown(res: ServerResponse): void {
  sendError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
}

/** 401 with the front's challenge; `insufficient` adds `error="insufficient_scope"` as ACR does for a token lacking the action. */
export function sendUnauthorized(
  res: ServerResponse,
  challenge: string,
  detail: { Type: string; Name: string; Action: string },
  insufficient: boolean,
): void {
  const header = insufficient && !/error=/.test(challenge) ? `${challenge},error="insufficient_scope"` : challenge;
  sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: UNAUTHORIZED_MESSAGE, detail: [detail] }] }, { 'WWW-Authenticate': header });
}

function attributesJson(a: Attributes): Attributes {
  return { deleteEnabled: a.deleteEnabled, writeEnabled: a.writeEnabled, readEnabled: a.readEnabled, listEnabled: a.listEnabled };
}

export function repositoryJson(registry: string, repo: RepositoryRecord, manifestCount: number, tagCount: number): object {
  return {
    registry,
    imageName: repo.name,
    createdTime: formatAcrTime(repo.created),
    lastUpdateTime: formatAcrTime(repo.updated),
    manifestCount,
    tagCount,
    changeableAttributes: attributesJson(repo.attributes),
  };
}

export function tagJson(tag: TagRecord): object {
  return {
    name: tag.name,
    digest: tag.digest,
    createdTime: formatAcrTime(tag.created),
    lastUpdateTime: formatAcrTime(tag.updated),
    signed: false,
    changeableAttributes: attributesJson(tag.attributes),
  };
}

/** A manifest as ACR prints it: `tags` only when tagged, `references` only for indexes [rec]. */
export function manifestJson(manifest: ManifestRecord, tags: string[]): object {
  return {
    digest: manifest.digest,
    imageSize: manifest.imageSize,
    createdTime: formatAcrTime(manifest.created),
    lastUpdateTime: formatAcrTime(manifest.updated),
    ...(manifest.architecture ? { architecture: manifest.architecture } : {}),
    ...(manifest.os ? { os: manifest.os } : {}),
    mediaType: manifest.mediaType,
    ...(tags.length ? { tags } : {}),
    changeableAttributes: attributesJson(manifest.attributes),
    ...(manifest.references ? { references: manifest.references } : {}),
  };
}
