/**
 * Contender: @azure/container-registry's ContainerRegistryContentClient used as its README shows
 * (uploadBlob for the config and each layer, then setManifest with the tag). The SDK has no parallelism
 * of its own, so blobs go 4 at a time, as a reasonable caller would write it. It has no "exists" check
 * either, so a second push uploads everything again, exactly as the documented usage does.
 *
 * Args: --endpoint https://HOST --repository R --tag T --layout DIR [--parallel 4]
 */
import { createReadStream } from 'node:fs';
import { ContainerRegistryContentClient } from '@azure/container-registry';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { forEachLimited, parseArgs, readLayoutImage } from './layout-reader';

/** The bench registry asks for no auth, so the SDK never calls this; it needs a credential object regardless. */
const unusedCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['endpoint', 'repository', 'tag', 'layout']);
  const image = await readLayoutImage(a.layout!);
  const client = new ContainerRegistryContentClient(a.endpoint!, a.repository!, unusedCredential);
  await forEachLimited(image.blobs, Number(a.parallel ?? 4), async (blob) => {
    const result = await client.uploadBlob(createReadStream(blob.path, { highWaterMark: 1 << 20 }));
    if (result.digest !== blob.digest) throw new Error(`uploaded ${blob.digest} but the SDK reported ${result.digest}`);
  });
  await client.setManifest(image.manifest, { tag: a.tag!, mediaType: image.mediaType });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
