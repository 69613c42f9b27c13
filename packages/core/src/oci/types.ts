/**
 * OCI image-spec v1.1 and Docker schema 2 object shapes. Docker's shapes are the OCI ones with other
 * media types, so one set of types serves both.
 *
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.1/manifest.md
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.1/image-index.md
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.1/config.md
 */

/** The platform an image runs on (in index entries and configs). */
export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  features?: string[];
}

/** Points at content by media type, digest and size. */
export interface Descriptor {
  mediaType: string;
  /** `sha256:<hex>` or `sha512:<hex>`. */
  digest: string;
  /** Size in bytes. */
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  /** Base64 of the content, when embedded. */
  data?: string;
  /** Only in index entries. */
  platform?: Platform;
  /** The artifact type of the manifest pointed at (index entries, referrers). */
  artifactType?: string;
}

/** An OCI image manifest or Docker schema 2 manifest. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  /** The manifest this artifact refers to (signatures, SBOMs). */
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index or Docker manifest list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** Either kind of manifest. Tell them apart with `'manifests' in m` or the media type. */
export type Manifest = ImageManifest | ImageIndex;

/** The image configuration blob (only the fields this client reads or writes are typed in detail). */
export interface ImageConfig {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  created?: string;
  author?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    Volumes?: Record<string, object>;
    WorkingDir?: string;
    Labels?: Record<string, string>;
    StopSignal?: string;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: Array<{
    created?: string;
    author?: string;
    created_by?: string;
    comment?: string;
    empty_layer?: boolean;
  }>;
}

/** True when `manifest` is an index / manifest list. */
export function isImageIndex(manifest: Manifest): manifest is ImageIndex {
  return Array.isArray((manifest as ImageIndex).manifests);
}
