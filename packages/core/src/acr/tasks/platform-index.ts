/**
 * Joins the per-platform images of a multi-platform build under every requested tag: ACR Tasks builds
 * one platform per run (Azure/acr#630), so acrkit pushes an image index itself, through the
 * distribution client, listing each platform's manifest with its digest, size and platform.
 *
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.0/image-index.md
 */
import type { Transport } from '../../http/transport';
import { createEndpoint } from '../../registry/endpoint';
import { pushManifest, resolveManifest } from '../../registry/manifests';
import { MediaType } from '../../oci/media-types';
import type { PlatformProperties } from './run-types';

export interface PlatformImage {
  platform: PlatformProperties;
  digest: string;
}

export interface PushIndexOptions {
  transport: Transport;
  loginServer: string;
  repository: string;
  tags: string[];
  images: PlatformImage[];
  signal?: AbortSignal;
}

/** Pushes the index under each tag; resolves its digest. */
export async function pushPlatformIndex(options: PushIndexOptions): Promise<string> {
  const endpoint = createEndpoint({ transport: options.transport, registry: options.loginServer, repository: options.repository });
  const manifests = [];
  for (const image of options.images) {
    const descriptor = await resolveManifest(endpoint, image.digest, { signal: options.signal });
    manifests.push({
      mediaType: descriptor.mediaType,
      digest: descriptor.digest,
      size: descriptor.size,
      platform: {
        os: image.platform.os.toLowerCase(),
        architecture: image.platform.architecture ?? 'amd64',
        ...(image.platform.variant ? { variant: image.platform.variant } : {}),
      },
    });
  }
  // A Docker manifest list for Docker v2 children keeps old Docker clients happy; OCI otherwise.
  const mediaType = manifests.every((m) => m.mediaType === MediaType.DockerManifest) ? MediaType.DockerManifestList : MediaType.OciIndex;
  const bytes = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType, manifests }));
  let digest = '';
  for (const tag of options.tags) {
    digest = (await pushManifest(endpoint, tag, bytes, mediaType, { signal: options.signal })).digest;
  }
  return digest;
}
