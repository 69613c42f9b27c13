/**
 * The ARM and ACR Tasks stand-in: an HTTPS Resource Manager endpoint (certificate from the rig CA)
 * serving one rig registry, Azurite as its blob storage, and buildah as its build agent. A scheduled
 * run really builds and pushes into the rig's registry; see issue 4 "Rig: the ARM and Tasks stand-in".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { ensureRigCa, issueServerCert, type KeyPair } from '../ca';
import { bearerToken, startHttpsServer } from '../https-server';
import { armError, routeArm, type ArmState, type ArmTenant } from './arm-routes';
import { startAzurite, type Azurite } from './azurite';
import { createEntraVerifier, type EntraTenant } from './entra-verifier';
import { createBuildah, pushBaseImage, type RegistryAccess } from './buildah';
import { executeRun } from './run-agent';
import { RunRecord, type DockerBuildRequestBody } from './run-record';

/** The registry the stand-in builds for (a rig, or a bare Distribution while developing). */
export interface ArmRigTarget {
  loginServer: string;
  /** Holds `ca.crt` for the registry's TLS; undefined with `insecure`. */
  certDir?: string;
  /** Registry credentials buildah pushes with (the rig admin). */
  admin?: { username: string; password: string };
  /** Plain-HTTP registry. */
  insecure?: boolean;
  /** The rig's Entra stand-in: when set, ARM accepts only its tokens for the ARM audience. */
  entra?: EntraTenant;
}

export interface ArmStandInOptions {
  rig: ArmRigTarget;
  /** If undefined, a certificate for 127.0.0.1 from the rig CA. */
  tls?: KeyPair;
  /** If undefined, `acrkitrig`. */
  registryName?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  /** What `GET /tenants` lists. If undefined, the tenant of `rig.entra` (or a fixed id) as "acrkit rig". */
  tenants?: ArmTenant[];
  /**
   * Checks an ARM bearer token; throw to refuse. If undefined: tokens of `rig.entra` when given
   * (signature, tenant, audience = the ARM endpoint), else any well-formed JWT-shaped bearer.
   */
  verifyBearer?: (token: string) => void;
  /** How long a run stays Queued. If undefined, 300 ms. */
  queueDelayMs?: number;
  /** Real ms per requested timeout second. If undefined, 1,000 (tests shrink ACR's 300 s minimum). */
  msPerTimeoutSecond?: number;
  /** Build and push `<loginServer>/base/busybox:latest` at start. If undefined, true. */
  baseImage?: boolean;
}

export interface ArmStandIn {
  armEndpoint: string;
  tenants: ArmTenant[];
  subscriptionId: string;
  resourceGroup: string;
  registryName: string;
  registryId: string;
  /** `<loginServer>/base/busybox:latest`, when built. */
  baseImage?: string;
  azurite: Azurite;
  /** Runs by id (status history, child process) for tests. */
  runs: Map<string, RunRecord>;
  /** Requests served, `METHOD path` without query, for tests. */
  requests: string[];
  stop(): Promise<void>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Starts Azurite, the base image, and the ARM endpoint. */
export async function startArmStandIn(options: ArmStandInOptions): Promise<ArmStandIn> {
  const workDir = await mkdtemp(join(tmpdir(), 'acrkit-arm-'));
  const cleanups: Array<() => Promise<void>> = [() => rm(workDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const tls = options.tls ?? (await issueServerCert(await ensureRigCa(), workDir));
    const azurite = await startAzurite(tls, workDir);
    cleanups.push(() => azurite.stop());
    const sources = azurite.service.getContainerClient('source');
    const logs = azurite.service.getContainerClient('logs');
    await sources.createIfNotExists();
    await logs.createIfNotExists();
    const access: RegistryAccess = {
      loginServer: options.rig.loginServer,
      certDir: options.rig.certDir,
      creds: options.rig.admin ? `${options.rig.admin.username}:${options.rig.admin.password}` : undefined,
      insecure: options.rig.insecure,
    };
    const buildah = createBuildah(join(workDir, 'buildah'), access);
    cleanups.push(() => buildah.run(['rm', '--all']).then(() => undefined));
    const baseImage = options.baseImage === false ? undefined : await pushBaseImage(buildah, access);

    const subscriptionId = options.subscriptionId ?? '00000000-aaaa-4bbb-8ccc-000000000001';
    const resourceGroup = options.resourceGroup ?? 'acrkit-rig';
    const registryName = options.registryName ?? 'acrkitrig';
    const registryId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${registryName}`;
    const tenants = options.tenants ?? [{ tenantId: options.rig.entra?.tenantId ?? '00000000-aaaa-4bbb-8ccc-0000000000aa', displayName: 'acrkit rig' }];
    const runs = new Map<string, RunRecord>();
    const requests: string[] = [];
    let counter = 0;
    // One agent: runs execute in order, as on a single ACR agent pool (and kind to 2 shared cores).
    let queue: Promise<void> = Promise.resolve();
    const stopping = new AbortController();
    const agent = { buildah, access, sources, logs, workDir, msPerTimeoutSecond: options.msPerTimeoutSecond ?? 1000 };
    const state: ArmState = {
      tenants, subscriptionId, resourceGroup, registryName, loginServer: options.rig.loginServer, registryId, runs,
      schedule(request: DockerBuildRequestBody) {
        const run = new RunRecord(`cb${++counter}`, registryId, request);
        runs.set(run.runId, run);
        const delay = options.queueDelayMs ?? 300;
        queue = queue
          .then(() => sleep(delay, undefined, { signal: stopping.signal }).catch(() => undefined))
          .then(() => executeRun(run, agent));
        return run;
      },
      uploadUrl: (relativePath) => azurite.sasUrl('source', relativePath, 'cw'),
      logUrl: (runId) => azurite.sasUrl('logs', `${runId}/rawtext.log`, 'r'),
    };
    cleanups.push(async () => {
      stopping.abort();
      for (const run of runs.values()) await run.abort('Canceled');
      await queue.catch(() => undefined);
    });

    let verify = options.verifyBearer;
    const server = await startHttpsServer(tls, async (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}`);
      const token = bearerToken(req);
      if (!token || !JWT_SHAPE.test(token)) return armError(res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing or not a bearer token.");
      try {
        verify?.(token);
      } catch {
        return armError(res, 401, 'InvalidAuthenticationToken', 'The access token is invalid.');
      }
      await routeArm(req, res, url, state);
    });
    cleanups.push(() => server.close());
    if (!verify && options.rig.entra) verify = await createEntraVerifier(options.rig.entra, [server.url, `${server.url}/`]);
    return { armEndpoint: server.url, tenants, subscriptionId, resourceGroup, registryName, registryId, baseImage, azurite, runs, requests, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
