/**
 * Reads what the stand-in needs from the real Distribution registry behind it: repository and tag
 * names, manifests, and the platform in an image's config blob. Only the official /v2 API is used here;
 * the few things Distribution cannot do (delete a tag or a repository) live in storage-files.ts.
 */
import type { ManifestFacts } from './metadata-store';

/** The front's channel to Distribution: `path` is `/v2/...`; authorisation is the front's business. */
export type DistributionFetch = (path: string, init?: RequestInit) => Promise<Response>;

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

const IMAGE_CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { architecture?: string; os?: string };
}

interface ManifestJson {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/** Every repository name in Distribution (follows `Link`; Distribution caps `n` at 1000). */
export async function listDistributionRepositories(fetch: DistributionFetch): Promise<string[]> {
  const names: string[] = [];
  let path: string | undefined = '/v2/_catalog?n=1000';
  while (path) {
    const res = await fetch(path);
    if (!res.ok) throw new Error(`GET ${path} from Distribution: ${res.status}`);
    const body = (await res.json()) as { repositories?: string[] };
    names.push(...(body.repositories ?? []));
    path = /<([^>]+)>/.exec(res.headers.get('link') ?? '')?.[1];
  }
  return names;
}

/** Tag names of `repository`, or undefined when Distribution does not know the repository. */
export async function listDistributionTags(fetch: DistributionFetch, repository: string): Promise<string[] | undefined> {
  const res = await fetch(`/v2/${repository}/tags/list`);
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) throw new Error(`GET /v2/${repository}/tags/list from Distribution: ${res.status}`);
  const body = (await res.json()) as { tags?: string[] | null };
  return body.tags ?? [];
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

/** The manifest at `reference` (tag or digest), or undefined when Distribution answers 404. */
export async function fetchManifest(fetch: DistributionFetch, repository: string, reference: string): Promise<FetchedManifest | undefined> {
  const res = await fetch(`/v2/${repository}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT } });
  if (res.status === 404) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.ok) throw new Error(`GET /v2/${repository}/manifests/${reference} from Distribution: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    digest: res.headers.get('docker-content-digest') ?? '',
    mediaType: res.headers.get('content-type') ?? '',
    bytes,
  };
}

async function readPlatform(fetch: DistributionFetch, repository: string, config: Descriptor): Promise<{ architecture?: string; os?: string }> {
  if (!IMAGE_CONFIG_TYPES.has(config.mediaType ?? '')) return {}; // an artifact: no platform
  const res = await fetch(`/v2/${repository}/blobs/${config.digest}`);
  if (!res.ok) {
    await res.body?.cancel();
    return {};
  }
  const json = (await res.json()) as { architecture?: string; os?: string };
  return { architecture: json.architecture, os: json.os };
}

/**
 * Size, platform and references of a manifest. An image's size is its config plus its layers; an
 * index's is the sum of its children's (ACR reports 228 MB for the multi-platform hello-world list [rec]).
 */
export async function readManifestFacts(
  fetch: DistributionFetch,
  repository: string,
  manifest: FetchedManifest,
  knownSize: (digest: string) => number | undefined = () => undefined,
): Promise<ManifestFacts> {
  const json = JSON.parse(manifest.bytes.toString('utf8')) as ManifestJson;
  const mediaType = json.mediaType ?? manifest.mediaType;
  if (Array.isArray(json.manifests)) {
    let imageSize = 0;
    for (const child of json.manifests) imageSize += knownSize(child.digest) ?? (await childSize(fetch, repository, child));
    const references = json.manifests.map((m) => ({ digest: m.digest, architecture: m.platform?.architecture, os: m.platform?.os }));
    return { digest: manifest.digest, mediaType, imageSize, references };
  }
  const imageSize = (json.config?.size ?? 0) + (json.layers ?? []).reduce((sum, layer) => sum + layer.size, 0);
  const platform = json.config ? await readPlatform(fetch, repository, json.config) : {};
  return { digest: manifest.digest, mediaType, imageSize, ...platform };
}

async function childSize(fetch: DistributionFetch, repository: string, child: Descriptor): Promise<number> {
  const fetched = await fetchManifest(fetch, repository, child.digest);
  if (!fetched) return child.size;
  const json = JSON.parse(fetched.bytes.toString('utf8')) as ManifestJson;
  return (json.config?.size ?? 0) + (json.layers ?? []).reduce((sum, layer) => sum + layer.size, 0);
}
