/**
 * Media types of manifests from ACR's raw `/acr/v1` JSON. ACR sends `mediaType` on every manifest
 * (acr-wire.md §5; recording_sets_manifest_properties), but `@azure/container-registry` 1.1.2 drops it
 * when it maps the generated model to `ArtifactManifestProperties`. The SDK's `onResponse` hook hands us
 * the raw response of the same request, so this costs no extra request.
 */

interface RawManifest {
  digest?: unknown;
  mediaType?: unknown;
}

/** The part of the SDK's raw response this reads (structural, so core-client need not be imported). */
export interface RawResponseLike {
  bodyAsText?: string | null;
}

/** Collects `digest -> mediaType` from the responses it is given via `onResponse`. */
export class MediaTypeCollector {
  private readonly byDigest = new Map<string, string>();

  /** Pass as the SDK operation's `onResponse` option. */
  readonly onResponse = (raw: RawResponseLike): void => {
    for (const manifest of manifestsIn(raw.bodyAsText)) {
      if (typeof manifest.digest === 'string' && typeof manifest.mediaType === 'string' && manifest.mediaType) {
        this.byDigest.set(manifest.digest, manifest.mediaType);
      }
    }
  };

  /** The media type the registry sent for `digest`, or undefined if it sent none. */
  get(digest: string): string | undefined {
    return this.byDigest.get(digest);
  }
}

/** The manifest objects of a `GetManifestAttributes` (`{ manifest }`) or `GetManifestList` (`{ manifests }`) body. */
function manifestsIn(text: string | null | undefined): RawManifest[] {
  if (!text) return [];
  let body: { manifest?: unknown; manifests?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return []; // Not JSON (an error page): the SDK reports the failure itself.
  }
  if (body === null || typeof body !== 'object') return [];
  const list = Array.isArray(body.manifests) ? body.manifests : body.manifest !== undefined ? [body.manifest] : [];
  return list.filter((m): m is RawManifest => m !== null && typeof m === 'object');
}
