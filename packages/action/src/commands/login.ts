/**
 * `command: login` (the default): checks the credentials against the registry, then writes them into
 * the Docker config for later steps (docker, buildx, skopeo, podman). The post step removes them.
 */
import { tmpdir } from 'node:os';
import { createRegistryTransport } from '@acrkit/core/auth/registry-transport';
import { pingRegistry } from '@acrkit/core/registry/ping';
import { authValue } from '../docker-config-edit';
import { credentialHelperFor, resolveDockerConfigDir, writeDockerLogin } from '../docker-config';
import { isInsecureRegistry } from '../insecure-registries';
import { registryLogin } from '../registry-credentials';
import { describeFailure } from '../registry-failure';
import type { CommandFunc } from './command';

export const loginCommand: CommandFunc = async ({ inputs, logger, signal, mask, env, getIdToken }) => {
  if (inputs.auth === 'oidc' && !env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    throw new Error('auth-type oidc needs a GitHub ID token: give the job `permissions: id-token: write`');
  }
  const login = registryLogin(inputs, { mask, logger, getIdToken });
  const { username, secret } = await logger.group(`Logging in to ${inputs.registry} as ${login.identity}`, async () => {
    const transport = createRegistryTransport({ credentials: login.credentials, logger, userAgent: 'acrkit-action' });
    await pingRegistry({ transport, registry: inputs.registry, insecure: isInsecureRegistry(inputs.registry, inputs.insecureRegistries), signal })
      .catch((err: unknown) => { throw describeFailure(err, { operation: 'login', registry: inputs.registry, identity: login.identity }); });
    return login.dockerCredential(signal);
  });
  mask(secret);
  mask(JSON.parse(authValue(username, secret)).auth as string);
  const { dir, created } = await resolveDockerConfigDir(inputs.dockerConfig, env);
  const record = await writeDockerLogin(dir, inputs.registry, username, secret, { createdDir: created, stateDir: env.RUNNER_TEMP || tmpdir() });
  logger.info(`Login succeeded: credentials for ${inputs.registry} are in ${record.file}`);
  const helper = await credentialHelperFor(record.file, inputs.registry);
  if (helper) {
    logger.warn(`${record.file} sets ${helper}: the Docker CLI will ask that helper, not this login (skopeo and podman use the file); use docker-config: new to avoid it`);
  }
  return {
    outputs: { 'login-server': inputs.registry, username, 'docker-config': record.file },
    env: inputs.dockerConfig === 'auto' ? undefined : { DOCKER_CONFIG: dir },
    login: record,
  };
};
