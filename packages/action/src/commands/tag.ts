/**
 * `command: tag`: promotes an image already in a registry to the computed tags, without pulling layers
 * to the runner. Same repository: manifest PUTs only. Another repository on the same registry: blobs
 * are mounted. Another registry: copied registry to registry. Tags go on only after everything is in.
 */
import { arrayBuffer } from 'node:stream/consumers';
import type { CredentialFunc } from '@acrkit/core/auth/credential';
import { createRegistryTransport } from '@acrkit/core/auth/registry-transport';
import { copyImage } from '@acrkit/core/registry/copy-image';
import { Repository } from '@acrkit/core/registry/repository';
import { dockerConfigCredentials } from '../docker-config-credentials';
import { existingTags } from '../existing-tags';
import { imageFacts } from '../image-facts';
import { isInsecureRegistry } from '../insecure-registries';
import { computeMetadata, metadataOutputs } from '../metadata';
import { publishTags } from '../publish-tags';
import { registryLogin } from '../registry-credentials';
import { describeFailure } from '../registry-failure';
import type { CommandFunc } from './command';

export const tagCommand: CommandFunc = async ({ inputs, github, logger, signal, mask, env, now, getIdToken }) => {
  const spec = inputs.source!;
  if (spec.kind !== 'registry') throw new Error('command tag needs source: registry/repo:tag or registry/repo@digest');
  const from = spec.reference;
  const image = inputs.image || from.repository;
  const login = registryLogin(inputs, { mask, logger, getIdToken });
  // The target registry gets this step's identity; a source elsewhere gets what an earlier login wrote.
  const fromDockerConfig = dockerConfigCredentials(env, mask);
  const credentials: CredentialFunc = async (host, options) => (host === inputs.registry ? login.credentials(host, options) : fromDockerConfig(host, options));
  const transport = createRegistryTransport({ credentials, logger, userAgent: 'acrkit-action' });
  const target = new Repository({ transport, registry: inputs.registry, repository: image, insecure: isInsecureRegistry(inputs.registry, inputs.insecureRegistries), logger });
  const source = new Repository({ transport, registry: from.registry, repository: from.repository, insecure: isInsecureRegistry(from.registry, inputs.insecureRegistries), logger });
  const identityFor = (r: Repository) => (r.registry === inputs.registry ? login.identity : `the Docker config's credentials for ${r.registry} (or anonymous)`);
  const fail = (operation: 'tag' | 'list tags' | 'read', where = target) => (err: unknown): never => {
    throw describeFailure(err, { operation, registry: where.registry, repository: where.name, identity: identityFor(where) });
  };
  const reference = from.digest ?? (from.tag as string);
  const root = await source.fetchManifest(reference, { signal }).catch(fail('read', source));
  const meta = computeMetadata({ ...inputs, image }, github, {
    now, existingTags: await existingTags(target, signal).catch(fail('list tags')),
  });
  meta.warnings.forEach((w) => logger.warn(w));
  if (meta.tagNames.length === 0) throw new Error('the tag rules produced no tag for this event: nothing to promote');
  const sameRepository = source.registry === target.registry && source.name === target.name;
  if (!sameRepository) {
    await logger.group(`Copying ${source.describe(reference)} to ${target.describe()}`, () =>
      copyImage(source, root.descriptor.digest, target, { tags: [], signal })).catch(fail('tag'));
  }
  await publishTags(target, root.descriptor.digest, meta.tagNames, { signal, logger }).catch(fail('tag'));
  const config = (JSON.parse(Buffer.from(root.bytes).toString('utf8')) as { config?: { digest: string } }).config;
  const configBytes = config ? await readConfig(source, config.digest, signal) : undefined;
  const ref = `${target.registry}/${target.name}`;
  return {
    outputs: { ...metadataOutputs(meta), digest: root.descriptor.digest, image: `${ref}@${root.descriptor.digest}` },
    summary: [{ image: ref, tags: meta.tagNames, digest: root.descriptor.digest, ...imageFacts(root.bytes, configBytes) }],
  };
};

/** The image config's bytes, for the summary's platform; undefined when it cannot be read. */
async function readConfig(repository: Repository, digest: string, signal: AbortSignal): Promise<Uint8Array | undefined> {
  try {
    const blob = await repository.fetchBlob(digest, { signal });
    return new Uint8Array(await arrayBuffer(blob.stream));
  } catch {
    return undefined;
  }
}
