/**
 * The push contenders as commands: each gets a layout, a registry and a repository:tag and returns
 * the child process to spawn. The acrkit contender exists only once the core push does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleContender, BENCH_DIR, REPO_DIR } from '../lib/bundle';
import type { PlainRegistry } from '../lib/distribution';

export interface PushCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface PushTool {
  name: string;
  /** Whether second push and second-repository push are measured (false: the tool would re-upload anyway). */
  repeats: boolean;
  /** `mountFrom`: a repository on the same registry that already holds the image (second-repository push). */
  command(layoutDir: string, tag: string, registry: PlainRegistry, repository: string, mountFrom?: string): PushCommand;
}

export const ACRKIT = 'acrkit push';
export const SKOPEO = 'skopeo copy';
export const AZURE_SDK = '@azure/container-registry';

const nodeEnv = (registry: PlainRegistry): NodeJS.ProcessEnv => ({ ...process.env, NODE_EXTRA_CA_CERTS: registry.tls.caFile });

/** Why acrkit's push cannot be measured yet, or undefined when it can. */
export function acrkitPushMissing(): string | undefined {
  const core = join(REPO_DIR, 'packages/core/src/registry/push-image.ts');
  if (!existsSync(core)) return 'packages/core/src/registry/push-image.ts does not exist yet';
  if (!existsSync(join(BENCH_DIR, 'contenders/acrkit-push.ts'))) return 'bench/contenders/acrkit-push.ts not written yet';
  return undefined;
}

/** Bundles the Node contenders and returns every push tool that can run here. */
export async function pushTools(skip: (what: string, reason: string) => void): Promise<PushTool[]> {
  const tools: PushTool[] = [];
  const missing = acrkitPushMissing();
  if (missing) skip(ACRKIT, missing);
  else {
    const script = await bundleContender('acrkit-push');
    tools.push({
      name: ACRKIT,
      repeats: true,
      command: (layout, tag, registry, repository, mountFrom) => ({
        command: process.execPath,
        args: [script, '--registry', registry.host, '--repository', repository, '--tag', tag, '--layout', layout, ...(mountFrom ? ['--mount-from', mountFrom] : [])],
        env: nodeEnv(registry),
      }),
    });
  }
  tools.push({
    name: SKOPEO,
    repeats: true,
    command: (layout, tag, registry, repository) => ({
      command: 'skopeo',
      args: ['copy', '--quiet', '--dest-cert-dir', registry.tls.certDir, `oci:${layout}:${tag}`, `docker://${registry.host}/${repository}:${tag}`],
      env: process.env,
    }),
  });
  const sdk = await bundleContender('azure-sdk-push');
  tools.push({
    name: AZURE_SDK,
    // Used as documented, the SDK has no exists check and no mount: a repeat is a first push again.
    repeats: false,
    command: (layout, tag, registry, repository) => ({
      command: process.execPath,
      args: [sdk, '--endpoint', registry.url, '--repository', repository, '--tag', tag, '--layout', layout, '--parallel', '4'],
      env: nodeEnv(registry),
    }),
  });
  return tools;
}
