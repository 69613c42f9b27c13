/** Checks that a push really landed: the tag resolves to the layout's manifest digest. */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';

const ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** HEADs `/v2/<repo>/manifests/<tag>` and throws unless it answers 200 with `expectedDigest`. */
export async function verifyPushed(url: string, caFile: string, repository: string, tag: string, expectedDigest: string): Promise<void> {
  const target = `${url}/v2/${repository}/manifests/${tag}`;
  const { status, digest } = await new Promise<{ status: number; digest?: string }>((resolve, reject) => {
    const req = request(target, { method: 'HEAD', ca: readFileSync(caFile), headers: { Accept: ACCEPT } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, digest: res.headers['docker-content-digest'] as string | undefined });
    });
    req.on('error', reject);
    req.end();
  });
  if (status !== 200 || digest !== expectedDigest) {
    throw new Error(`HEAD ${target}: expected 200 with digest ${expectedDigest}, got ${status} ${digest ?? '(no digest)'}`);
  }
}
