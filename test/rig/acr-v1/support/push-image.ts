/**
 * Pushes tiny OCI images through the rig's front with plain fetch (no client under test involved),
 * so that /acr/v1 tests start from known content. Layer bytes are random: Distribution does not look
 * inside layers, and random bytes make every image's digest unique.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface PushTarget {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** `Authorization` header value. */
  authorization: string;
}

const sha256 = (data: Uint8Array) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function expect(res: Response, status: number, what: string): Promise<Response> {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${await res.text()}`);
  return res;
}

export async function pushBlob(target: PushTarget, repository: string, data: Uint8Array): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  const start = await fetch(`${target.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { authorization: target.authorization } });
  await expect(start, 202, `starting upload to ${repository}`);
  const location = new URL(start.headers.get('location')!, target.url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { authorization: target.authorization, 'content-type': 'application/octet-stream' },
    body: data,
  });
  await expect(put, 201, `finishing upload to ${repository}`);
  return { digest, size: data.length };
}

export async function pushManifest(target: PushTarget, repository: string, reference: string, manifest: object, mediaType: string): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const res = await fetch(`${target.url}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { authorization: target.authorization, 'content-type': mediaType },
    body: bytes,
  });
  if (res.status !== 201) return Promise.reject(Object.assign(new Error(`PUT manifest ${repository}:${reference}: ${res.status} ${await res.text()}`), { status: res.status }));
  return res.headers.get('docker-content-digest') ?? sha256(bytes);
}

export interface PushedImage {
  digest: string;
  /** config + layers, as ACR reports `imageSize`. */
  imageSize: number;
  manifest: object;
}

/** Pushes a one-layer image for `platform` and tags it `tag` (or pushes by digest when tag is undefined). */
export async function pushImage(
  target: PushTarget,
  repository: string,
  tag: string | undefined,
  platform: { architecture: string; os: string } = { architecture: 'amd64', os: 'linux' },
): Promise<PushedImage> {
  const layer = await pushBlob(target, repository, randomBytes(64 + Math.floor(Math.random() * 64)));
  const configBytes = Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [layer.digest] }, config: {} }));
  const config = await pushBlob(target, repository, configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await pushManifest(target, repository, tag ?? sha256(bytes), manifest, manifest.mediaType);
  return { digest, imageSize: config.size + layer.size, manifest };
}

/** Pushes two platform images and an OCI index over them, tagged `tag`. */
export async function pushIndex(target: PushTarget, repository: string, tag: string): Promise<{ digest: string; children: PushedImage[]; manifest: object }> {
  const children = [
    await pushImage(target, repository, undefined, { architecture: 'amd64', os: 'linux' }),
    await pushImage(target, repository, undefined, { architecture: 'arm64', os: 'linux' }),
  ];
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: children.map((c, i) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: c.digest,
      size: Buffer.byteLength(JSON.stringify(c.manifest)),
      platform: i === 0 ? { architecture: 'amd64', os: 'linux' } : { architecture: 'arm64', os: 'linux' },
    })),
  };
  const digest = await pushManifest(target, repository, tag, index, index.mediaType);
  return { digest, children, manifest: index };
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
