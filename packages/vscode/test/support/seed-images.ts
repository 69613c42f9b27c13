/**
 * Pushes tiny images into a registry (the rig) with the core's data-plane client: one config, one layer,
 * one manifest, then the same manifest PUT under many tags (cheap: no blob moves). Also an index with two
 * platforms. Used by the model tests against the rig, the extension-host tests and the dev rig.
 */
import { createRegistryTransport } from '@acrkit/core/auth/registry-transport';
import { staticCredential, type Credential } from '@acrkit/core/auth/credential';
import { computeDigest } from '@acrkit/core/oci/digest';
import { Repository } from '@acrkit/core/registry/repository';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface SeedTarget {
  loginServer: string;
  credential: Credential;
}

export interface PushedImage {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** A Repository on the target with a static credential. */
export function seedRepository(target: SeedTarget, repository: string): Repository {
  const transport = createRegistryTransport({ credentials: staticCredential(target.credential) });
  return new Repository({ transport, registry: target.loginServer, repository });
}

/** Pushes one small single-platform image and tags it with each of `tags` in order (the last is newest). */
export async function pushImage(repo: Repository, tags: string[], options: { seed?: string; os?: string; architecture?: string } = {}): Promise<PushedImage> {
  const { os = 'linux', architecture = 'amd64', seed = repo.name } = options;
  const layer = new TextEncoder().encode(`layer of ${seed} ${os}/${architecture}\n`);
  const config = new TextEncoder().encode(JSON.stringify({
    architecture, os, created: '2026-01-01T00:00:00Z',
    config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: [computeDigest(layer)] },
  }));
  const configDesc = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: computeDigest(config), size: config.byteLength };
  const layerDesc = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: computeDigest(layer), size: layer.byteLength };
  await repo.pushBlob(configDesc, () => config);
  await repo.pushBlob(layerDesc, () => layer);
  const manifest = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDesc, layers: [layerDesc] }));
  const digest = computeDigest(manifest);
  await repo.pushManifest(digest, manifest, OCI_MANIFEST);
  await tagManifest(repo, { digest, mediaType: OCI_MANIFEST, bytes: manifest }, tags);
  return { digest, mediaType: OCI_MANIFEST, bytes: manifest };
}

/**
 * PUTs an already pushed manifest under each tag. With concurrency 1 (the default) the push order is the
 * time order; more is faster but leaves the order among concurrent tags to the registry clock.
 */
export async function tagManifest(repo: Repository, image: PushedImage, tags: string[], concurrency = 1): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tags.length) await repo.pushManifest(tags[next++]!, image.bytes, image.mediaType);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tags.length) }, worker));
}

/** Pushes a two-platform index (linux/amd64, linux/arm64) under `tag`. */
export async function pushIndex(repo: Repository, tag: string): Promise<PushedImage & { platforms: PushedImage[] }> {
  const platforms = [
    await pushImage(repo, [], { architecture: 'amd64', seed: `${repo.name}-index` }),
    await pushImage(repo, [], { architecture: 'arm64', seed: `${repo.name}-index` }),
  ];
  const index = new TextEncoder().encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: platforms.map((p, i) => ({ mediaType: p.mediaType, digest: p.digest, size: p.bytes.byteLength, platform: { os: 'linux', architecture: i ? 'arm64' : 'amd64' } })),
  }));
  const image = { digest: computeDigest(index), mediaType: OCI_INDEX, bytes: index };
  await repo.pushManifest(tag, index, OCI_INDEX);
  return { ...image, platforms };
}

/** The demo content of the dev rig and the extension-host tests: `hello` (index + tags), `app` (many tags). */
export async function seedDemo(target: SeedTarget, options: { appTags?: number } = {}): Promise<{ appTags: string[] }> {
  const hello = seedRepository(target, 'samples/hello');
  await pushImage(hello, ['1.0', '1.1', 'latest']);
  await pushIndex(hello, 'multiarch');
  const app = seedRepository(target, 'app');
  const appTags = Array.from({ length: options.appTags ?? 30 }, (_, i) => `v1.${i}`);
  await pushImage(app, appTags);
  return { appTags };
}
