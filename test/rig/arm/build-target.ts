/**
 * The registry cloud-build tests push into: the full rig (ACR front with token auth and TLS before
 * Docker Distribution) when `test/rig/rig.ts` provides `startRig`, otherwise a bare Distribution.
 */
import { startBareRegistry } from '../bare-registry';
import type { ArmRigTarget } from './arm-stand-in';

export interface BuildTarget {
  rig: ArmRigTarget;
  /** skopeo source flags that reach the registry (`--src-cert-dir`, `--src-creds` or `--src-tls-verify=false`). */
  skopeoFlags: string[];
  /** Which registry this is. */
  kind: 'rig' | 'bare';
  /** The rig's Entra service principal (Owner), to get real ARM tokens; undefined for a bare registry. */
  entra?: { authorityHost: string; tenantId: string; clientId: string; clientSecret: string };
  /** Secrets the target handed out, for output scans. */
  secrets: string[];
  stop(): Promise<void>;
}

interface RigLike {
  loginServer: string;
  certDir: string;
  admin?: { username: string; password: string };
  adminUsername?: string;
  adminPassword?: string;
  entra?: { authorityHost: string; tenantId: string; clientId: string; clientSecret: string };
  secrets?(): string[];
  stop(): Promise<void>;
}

/** Starts the rig if it exists, else a bare registry. */
export async function startBuildTarget(): Promise<BuildTarget> {
  const rigModule = './../rig';
  const mod = (await import(/* @vite-ignore */ rigModule).catch(() => undefined)) as { startRig?: () => Promise<RigLike> } | undefined;
  if (mod?.startRig) {
    const rig = await mod.startRig();
    const admin = rig.admin ?? { username: rig.adminUsername!, password: rig.adminPassword! };
    return {
      kind: 'rig',
      rig: { loginServer: rig.loginServer, certDir: rig.certDir, admin, entra: rig.entra },
      entra: rig.entra,
      secrets: rig.secrets?.() ?? [admin.password],
      skopeoFlags: ['--src-cert-dir', rig.certDir, '--src-creds', `${admin.username}:${admin.password}`],
      stop: () => rig.stop(),
    };
  }
  const bare = await startBareRegistry();
  return { kind: 'bare', secrets: [], rig: { loginServer: bare.loginServer, insecure: true }, skopeoFlags: ['--src-tls-verify=false'], stop: bare.stop };
}
