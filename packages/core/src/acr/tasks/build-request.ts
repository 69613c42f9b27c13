/**
 * Turns acrkit's build options into ACR `DockerBuildRequest`s, one per platform, checking every
 * input on the way so that a typo fails before anything is uploaded.
 *
 * Reference: DockerBuildRequest in azure-rest-api-specs 2019-06-01-preview (`timeout` 300..28800,
 * platform os Linux|Windows, architecture amd64|x86|386|arm|arm64, variant v6|v7|v8).
 */
import { isRegistryHost } from '../../ref/reference';
import type { DockerBuildRequest, PlatformProperties } from './run-types';

/** The build settings a caller chooses; `runCloudBuild` takes them as they are and passes them on here. */
export interface BuildSettings {
  /** `repo:tag` names (a leading `<loginServer>/` is accepted and dropped: ACR Tasks push only to their own registry). */
  imageNames: string[];
  /** If undefined, true. */
  push?: boolean;
  noCache?: boolean;
  target?: string;
  buildArgs?: Record<string, string>;
  /** Sent with `isSecret: true` and masked in every log line, error and result. */
  secretBuildArgs?: Record<string, string>;
  /** `os/arch[/variant]`, e.g. `linux/arm64/v8`. If undefined or empty, `linux/amd64`. Several: one run each. */
  platforms?: string[];
  /** Run timeout in seconds (300..28800). If undefined, ACR's default (3,600). */
  timeoutSeconds?: number;
  agentPoolName?: string;
  agentCpu?: number;
}

/** What is asked of each build, before platform fan-out. */
export interface BuildRequestInput extends BuildSettings {
  loginServer?: string;
  dockerFilePath: string;
  sourceLocation: string;
}

/** An option acrkit refuses before calling Azure. */
export class BuildOptionError extends Error {
  override name = 'BuildOptionError';
  readonly code = 'INVALID_BUILD_OPTION' as const;
  constructor(readonly option: string, value: unknown, expected: string) {
    super(`build option ${option} ${JSON.stringify(value)} is not valid (expected ${expected})`);
  }
  static is(err: unknown): err is BuildOptionError {
    return err instanceof BuildOptionError;
  }
}

const ARCHES = new Set(['amd64', 'x86', '386', 'arm', 'arm64']);
const VARIANTS = new Set(['v6', 'v7', 'v8']);
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IMAGE_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;

/** Parses `linux/arm64/v8` into ACR's platform shape. */
export function parsePlatform(text: string): PlatformProperties {
  const [os, architecture, variant, extra] = text.trim().split('/');
  const osName = os?.toLowerCase() === 'linux' ? 'Linux' : os?.toLowerCase() === 'windows' ? 'Windows' : undefined;
  if (!osName || !architecture || !ARCHES.has(architecture) || (variant !== undefined && !VARIANTS.has(variant)) || extra !== undefined) {
    throw new BuildOptionError('platform', text, 'os/arch[/variant] with os linux|windows, arch amd64|x86|386|arm|arm64, variant v6|v7|v8');
  }
  return variant ? { os: osName, architecture, variant } : { os: osName, architecture };
}

/** `linux-arm64-v8`: the tag suffix of a per-platform image in a multi-platform build. */
export function platformSlug(platform: PlatformProperties): string {
  return [platform.os.toLowerCase(), platform.architecture, platform.variant].filter(Boolean).join('-');
}

/** Drops a leading `<loginServer>/` and checks `repo[:tag]`. */
export function normalizeImageName(name: string, loginServer?: string): string {
  let result = name.trim();
  if (loginServer && result.toLowerCase().startsWith(`${loginServer.toLowerCase()}/`)) result = result.slice(loginServer.length + 1);
  const first = result.split('/')[0]!;
  if (result.includes('/') && isRegistryHost(first)) {
    throw new BuildOptionError('image name', name, `an image on the build registry${loginServer ? ` ${loginServer}` : ''} (ACR Tasks push only to their own registry)`);
  }
  if (!IMAGE_NAME.test(result)) throw new BuildOptionError('image name', name, 'repository[:tag] on the target registry, lower-case repository');
  return result;
}

/** Builds one DockerBuildRequest per platform. Per-platform requests of a multi-platform build push `<tag>-<platform>` tags. */
export function createBuildRequests(input: BuildRequestInput): Array<{ platform: PlatformProperties; request: DockerBuildRequest }> {
  if (input.imageNames.length === 0 && input.push !== false) throw new BuildOptionError('image names', input.imageNames, 'at least one image name when pushing');
  const images = input.imageNames.map((n) => normalizeImageName(n, input.loginServer));
  const platforms = (input.platforms?.length ? input.platforms : ['linux/amd64']).map(parsePlatform);
  if (input.timeoutSeconds !== undefined && !(Number.isInteger(input.timeoutSeconds) && input.timeoutSeconds >= 300 && input.timeoutSeconds <= 28_800)) {
    throw new BuildOptionError('timeout', input.timeoutSeconds, 'whole seconds from 300 to 28800');
  }
  if (input.agentCpu !== undefined && !(Number.isInteger(input.agentCpu) && input.agentCpu > 0)) {
    throw new BuildOptionError('agent cpu', input.agentCpu, 'a positive whole number of cores');
  }
  const args = [
    ...Object.entries(input.buildArgs ?? {}).map(([name, value]) => ({ type: 'DockerBuildArgument' as const, name, value, isSecret: false })),
    ...Object.entries(input.secretBuildArgs ?? {}).map(([name, value]) => ({ type: 'DockerBuildArgument' as const, name, value, isSecret: true })),
  ];
  for (const arg of args) if (!ARG_NAME.test(arg.name)) throw new BuildOptionError('build argument name', arg.name, 'letters, digits and _');
  const multi = platforms.length > 1;
  return platforms.map((platform) => ({
    platform,
    request: {
      type: 'DockerBuildRequest',
      imageNames: multi ? images.map((i) => withTagSuffix(i, platformSlug(platform))) : images,
      isPushEnabled: input.push !== false,
      noCache: input.noCache === true,
      dockerFilePath: input.dockerFilePath,
      ...(input.target ? { target: input.target } : {}),
      arguments: args,
      ...(input.timeoutSeconds !== undefined ? { timeout: input.timeoutSeconds } : {}),
      platform,
      ...(input.agentCpu !== undefined ? { agentConfiguration: { cpu: input.agentCpu } } : {}),
      ...(input.agentPoolName ? { agentPoolName: input.agentPoolName } : {}),
      sourceLocation: input.sourceLocation,
      isArchiveEnabled: false,
    },
  }));
}

function withTagSuffix(image: string, suffix: string): string {
  const at = image.lastIndexOf(':');
  return at > 0 && !image.slice(at).includes('/') ? `${image}-${suffix}` : `${image}:${suffix}`;
}
