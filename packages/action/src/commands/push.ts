/**
 * `command: push`: pushes an image from an OCI layout, an OCI archive, a `docker save` archive or the
 * Docker daemon. Every blob and manifest goes in by digest first; only then are the computed tags put,
 * so a failed or cancelled push tags nothing.
 */
import { tmpdir } from 'node:os';
import { createRegistryTransport } from '@acrkit/core/auth/registry-transport';
import { pushImage } from '@acrkit/core/registry/push-image';
import { Repository } from '@acrkit/core/registry/repository';
import { existingTags } from '../existing-tags';
import { imageFacts } from '../image-facts';
import { computeMetadata, metadataOutputs } from '../metadata';
import { isInsecureRegistry } from '../insecure-registries';
import { openSource } from '../open-source';
import { publishTags } from '../publish-tags';
import { registryLogin } from '../registry-credentials';
import { describeFailure } from '../registry-failure';
import type { CommandFunc } from './command';

export const pushCommand: CommandFunc = async ({ inputs, github, logger, signal, mask, env, now, getIdToken }) => {
  const login = registryLogin(inputs, { mask, logger, getIdToken });
  const transport = createRegistryTransport({ credentials: login.credentials, logger, userAgent: 'acrkit-action' });
  const repository = new Repository({ transport, registry: inputs.registry, repository: inputs.image, insecure: isInsecureRegistry(inputs.registry, inputs.insecureRegistries), logger });
  const fail = (operation: 'push' | 'list tags') => (err: unknown): never => {
    throw describeFailure(err, { operation, registry: inputs.registry, repository: inputs.image, identity: login.identity });
  };
  const meta = computeMetadata(inputs, github, {
    now, existingTags: await existingTags(repository, signal).catch(fail('list tags')),
  });
  meta.warnings.forEach((w) => logger.warn(w));
  if (meta.tagNames.length === 0) logger.warn('the tag rules produced no tag for this event: pushing by digest only');
  const spec = inputs.source!;
  const source = await openSource(spec, { signal, tempDir: env.RUNNER_TEMP || tmpdir() });
  try {
    const sourceTag = spec.kind === 'oci-layout' ? spec.tag : undefined;
    const pushed = await logger.group(`Pushing ${source.description} to ${repository.describe()}`, () => pushImage(source, repository, {
      sourceTag, signal,
      onBlob: (e) => logger.debug(`blob ${e.digest} (${e.size} bytes) ${e.action}`),
    })).catch(fail('push'));
    await publishTags(repository, pushed.digest, meta.tagNames, { signal, logger }).catch(fail('push'));
    const root = await source.resolve(sourceTag, { signal });
    const rootBytes = await source.fetchManifest(root, { signal });
    const config = (JSON.parse(Buffer.from(rootBytes).toString('utf8')) as { config?: typeof root }).config;
    const facts = imageFacts(rootBytes, config ? await source.fetchManifest(config, { signal }) : undefined);
    const image = `${inputs.registry}/${inputs.image}@${pushed.digest}`;
    logger.info(`pushed ${image}`);
    return {
      outputs: { ...metadataOutputs(meta), digest: pushed.digest, image },
      summary: [{ image: `${inputs.registry}/${inputs.image}`, tags: meta.tagNames, digest: pushed.digest, ...facts }],
    };
  } finally {
    await source.close();
  }
};
