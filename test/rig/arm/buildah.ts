/**
 * buildah as the rig's build agent: daemonless, chroot isolation and vfs storage (which work as root
 * here), a storage root per stand-in so parallel rigs share nothing, and registry access to the rig
 * with its admin credentials and CA (see rig-recipes.md "buildah without a daemon, offline").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** How buildah reaches the rig's registry. */
export interface RegistryAccess {
  loginServer: string;
  /** Directory holding `ca.crt` (`--cert-dir`); undefined with `insecure`. */
  certDir?: string;
  /** `user:password` for `--creds`; undefined for an open registry. */
  creds?: string;
  /** Plain-HTTP registry (a bare Distribution while developing). */
  insecure?: boolean;
}

export interface Buildah {
  /** Global flags: storage root, run root, driver. */
  readonly globalArgs: string[];
  /** Registry flags for bud/push/from. */
  registryArgs(): string[];
  /** Starts buildah in its own process group (so a cancel can kill the whole tree). */
  spawn(args: string[], options?: { cwd?: string }): ChildProcess;
  /** Runs buildah to completion and returns stdout; rejects with stderr on failure. */
  run(args: string[], options?: { cwd?: string }): Promise<string>;
}

export function createBuildah(workDir: string, access: RegistryAccess): Buildah {
  const globalArgs = ['--root', join(workDir, 'root'), '--runroot', join(workDir, 'runroot'), '--storage-driver', 'vfs'];
  const registryArgs = () => [
    ...(access.insecure ? ['--tls-verify=false'] : ['--cert-dir', access.certDir ?? '']),
    ...(access.creds ? ['--creds', access.creds] : []),
  ];
  const spawnBuildah = (args: string[], options: { cwd?: string } = {}) =>
    spawn('buildah', [...globalArgs, ...args], {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No registries.conf search, no user namespace: everything is fully qualified and we are root.
      env: { ...process.env, BUILDAH_ISOLATION: 'chroot', STORAGE_DRIVER: 'vfs' },
    });
  return {
    globalArgs,
    registryArgs,
    spawn: spawnBuildah,
    run: (args, options) =>
      new Promise((resolve, reject) => {
        const child = spawnBuildah(args, options);
        let out = '';
        let err = '';
        child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
        child.once('error', reject);
        child.once('close', (code) =>
          code === 0 ? resolve(out) : reject(new Error(`buildah ${args[0]} exited with ${code}: ${err.slice(-2000)}`)),
        );
      }),
  };
}

/** Kills a buildah process group: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function killGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {}
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The rig's offline base image: Debian's busybox-static with its applets linked into /bin. */
export const BASE_IMAGE_REPOSITORY = 'base/busybox';

/** Builds the base image from /bin/busybox and pushes it to `<loginServer>/base/busybox:latest`. */
export async function pushBaseImage(buildah: Buildah, access: RegistryAccess): Promise<string> {
  const container = (await buildah.run(['from', 'scratch'])).trim();
  try {
    await buildah.run(['copy', container, '/bin/busybox', '/bin/busybox']);
    await buildah.run(['run', '--isolation', 'chroot', container, '/bin/busybox', '--install', '-s', '/bin']);
    await buildah.run(['run', '--isolation', 'chroot', container, '/bin/mkdir', '-p', '/tmp', '/etc', '/root']);
    await buildah.run(['config', '--cmd', '/bin/sh', '--env', 'PATH=/bin', container]);
    await buildah.run(['commit', '--rm', container, 'localhost/acrkit-base']);
  } catch (err) {
    await buildah.run(['rm', container]).catch(() => undefined);
    throw err;
  }
  const ref = `${access.loginServer}/${BASE_IMAGE_REPOSITORY}:latest`;
  await buildah.run(['push', ...buildah.registryArgs(), 'localhost/acrkit-base', `docker://${ref}`]);
  return ref;
}
