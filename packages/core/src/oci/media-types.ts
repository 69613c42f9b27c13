/**
 * Media types of Docker schema 2 and OCI image-spec v1.1 objects.
 *
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.1/media-types.md
 * Reference: https://distribution.github.io/distribution/spec/manifest-v2-2/
 */
export const MediaType = {
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  DockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  DockerPluginConfig: 'application/vnd.docker.plugin.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  OciLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  OciLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  OciLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  /** The empty JSON `{}` blob artifacts use as config (image-spec 1.1). */
  OciEmpty: 'application/vnd.oci.image.empty.v1+json',
  OciLayoutHeader: 'application/vnd.oci.layout.header.v1+json',
} as const;

/** One of the {@link MediaType} values. */
export type KnownMediaType = (typeof MediaType)[keyof typeof MediaType];

/** Media types of single-image manifests. */
export const IMAGE_MANIFEST_MEDIA_TYPES: readonly string[] = [MediaType.OciManifest, MediaType.DockerManifest];
/** Media types of multi-platform indexes / manifest lists. */
export const INDEX_MEDIA_TYPES: readonly string[] = [MediaType.OciIndex, MediaType.DockerManifestList];
/** Every manifest media type this client understands, in preference order. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [...INDEX_MEDIA_TYPES, ...IMAGE_MANIFEST_MEDIA_TYPES];

/** The `Accept` header for a manifest GET/HEAD: every type we understand, so no registry converts. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

/** Strips parameters and case from a Content-Type (`application/json; charset=utf-8` → `application/json`). */
export function baseMediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** True for an OCI index or Docker manifest list (parameters ignored). */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(baseMediaType(mediaType));
}

/** True for an OCI image manifest or Docker schema 2 manifest (parameters ignored). */
export function isImageManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && IMAGE_MANIFEST_MEDIA_TYPES.includes(baseMediaType(mediaType));
}

/** True for any manifest media type this client understands. */
export function isManifestMediaType(mediaType: string | undefined): boolean {
  return isIndexMediaType(mediaType) || isImageManifestMediaType(mediaType);
}
