/**
 * From `@azure/container-registry` models to the RegistryClient's plain data, and from the SDK's
 * `RestError` to our `RegistryError` (so callers test `RegistryError.is(err, 'NAME_UNKNOWN')` whichever
 * backend answered).
 */
import type { ArtifactManifestProperties, ArtifactTagProperties, ContainerRepositoryProperties } from '@azure/container-registry';
import { RegistryError, parseErrors } from '../http/registry-error';
import type { ChangeableAttributes, ManifestInfo, RepositoryInfo, TagInfo } from '../registry/registry-client';

interface Writable {
  canDelete?: boolean;
  canWrite?: boolean;
  canList?: boolean;
  canRead?: boolean;
}

export function toAttributes(from: Writable): ChangeableAttributes {
  return { deleteEnabled: from.canDelete, writeEnabled: from.canWrite, listEnabled: from.canList, readEnabled: from.canRead };
}

export function toWritable(from: ChangeableAttributes): Writable {
  return { canDelete: from.deleteEnabled, canWrite: from.writeEnabled, canList: from.listEnabled, canRead: from.readEnabled };
}

export function toRepositoryInfo(p: ContainerRepositoryProperties): RepositoryInfo {
  return {
    name: p.name,
    tagCount: p.tagCount,
    manifestCount: p.manifestCount,
    createdTime: p.createdOn,
    lastUpdated: p.lastUpdatedOn,
    attributes: toAttributes(p),
  };
}

export function toTagInfo(p: ArtifactTagProperties): TagInfo {
  return { name: p.name, digest: p.digest, createdTime: p.createdOn, lastUpdated: p.lastUpdatedOn, attributes: toAttributes(p) };
}

/** `mediaType` comes from the raw response (the SDK model drops it; see acr-media-types.ts). */
export function toManifestInfo(p: ArtifactManifestProperties, mediaType?: string): ManifestInfo {
  const info: ManifestInfo = {
    digest: p.digest,
    ...(mediaType !== undefined && { mediaType }),
    size: p.sizeInBytes,
    architecture: p.architecture,
    os: p.operatingSystem,
    createdTime: p.createdOn,
    lastUpdated: p.lastUpdatedOn,
    tags: p.tags,
    attributes: toAttributes(p),
  };
  if (p.relatedArtifacts.length > 0) {
    info.references = p.relatedArtifacts.map((r) => ({ digest: r.digest, architecture: r.architecture, os: r.operatingSystem }));
  }
  return info;
}

interface RestErrorLike {
  name?: string;
  statusCode?: number;
  request?: { method?: string; url?: string };
  response?: { bodyAsText?: string | null };
}

/** Converts an SDK RestError into a RegistryError with `context` before the message; other errors pass through. */
export function toRegistryError(err: unknown, context: string): unknown {
  const rest = err as RestErrorLike;
  if (rest?.name !== 'RestError' || rest.statusCode === undefined || !rest.request?.url) return err;
  const body = rest.response?.bodyAsText ?? '';
  return new RegistryError({
    method: rest.request.method ?? 'GET',
    url: rest.request.url,
    status: rest.statusCode,
    errors: parseErrors(body),
    body,
    context,
  });
}
