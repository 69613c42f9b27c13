/**
 * Contender: acrkit's core push (what the Action's `push` command runs) from an OCI layout, with the
 * core's own defaults (parallelism, monolithic limit, skip-existing, tag-first HEAD).
 * Args: --registry HOST --repository R --tag T --layout DIR [--mount-from REPO] [--username U --password P]
 * `--mount-from` names a repository on the same registry that holds the blobs (skopeo learns the
 * same from its blob-info cache; the Action's `tag` command knows it from its source).
 */
// As the Action's entry points do (see the file's comment).
import '../../packages/action/src/wasm-tiering';
import { createRegistryTransport } from '@acrkit/core/auth/registry-transport';
import { staticCredential } from '@acrkit/core/auth/credential';
import { pushImage } from '@acrkit/core/registry/push-image';
import { Repository } from '@acrkit/core/registry/repository';
import { openOciLayout } from '@acrkit/core/sources/oci-layout-source';
import { parseArgs } from './layout-reader';

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['registry', 'repository', 'tag', 'layout']);
  const credential = a.username ? { username: a.username, password: a.password } : undefined;
  const transport = createRegistryTransport({ credentials: staticCredential(credential), userAgent: 'acrkit-bench' });
  const target = new Repository({ transport, registry: a.registry!, repository: a.repository! });
  const source = await openOciLayout(a.layout!);
  try {
    await pushImage(source, target, { tags: [a.tag!], sourceTag: a.tag, ...(a['mount-from'] && { mountFrom: a['mount-from'] }) });
  } finally {
    await source.close();
  }
}

main().then(
  // undici keeps idle sockets open for a few seconds; a CLI is done when the push is.
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
