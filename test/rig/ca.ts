/**
 * The rig's certificate authority and the certificates it signs. One CA per machine, created once under
 * `$HOME/.cache/acrkit/rig-ca/` and reused, because Node reads `NODE_EXTRA_CA_CERTS` only at start: the
 * test workers (and people running `npm run rig`) must be able to trust it before any rig exists.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the rig CA lives; `ACRKIT_RIG_CA_DIR` overrides it (e.g. for CI caches). */
export function rigCaDir(): string {
  return process.env.ACRKIT_RIG_CA_DIR ?? join(homedir(), '.cache', 'acrkit', 'rig-ca');
}

/** The CA as files plus its PEM text. */
export interface RigCa {
  dir: string;
  certFile: string;
  keyFile: string;
  certPem: string;
}

/**
 * Returns the machine's rig CA, creating it on first use. Creation writes into a temporary sibling
 * directory and renames it into place, so concurrent callers never see a half-written CA.
 */
export async function ensureRigCa(): Promise<RigCa> {
  const dir = rigCaDir();
  const certFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'ca.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) await createCa(dir);
  return { dir, certFile, keyFile, certPem: await readFile(certFile, 'utf8') };
}

async function createCa(dir: string): Promise<void> {
  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, '.rig-ca-'));
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
      '-keyout', join(tmp, 'ca.key'), '-out', join(tmp, 'ca.crt'),
      '-subj', '/CN=acrkit rig CA',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another process won the race: its CA is as good as ours.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** A key and certificate in PEM. */
export interface KeyPair {
  keyPem: string;
  certPem: string;
}

/** Issues a TLS server certificate for `127.0.0.1` and `localhost`, signed by the rig CA. */
export async function issueServerCert(ca: RigCa, workDir: string): Promise<KeyPair> {
  const keyFile = join(workDir, 'server.key');
  const certFile = join(workDir, 'server.crt');
  await run('openssl', [
    'req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30',
    '-CA', ca.certFile, '-CAkey', ca.keyFile,
    '-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', 'extendedKeyUsage=serverAuth',
  ]);
  return { keyPem: await readFile(keyFile, 'utf8'), certPem: await readFile(certFile, 'utf8') };
}

/**
 * Creates the self-signed certificate that signs registry tokens. Distribution trusts exactly this
 * certificate (`auth.token.rootcertbundle`) and finds it again in each token's `x5c` header.
 */
export async function createTokenSigningCert(workDir: string): Promise<KeyPair & { certFile: string }> {
  const keyFile = join(workDir, 'token.key');
  const certFile = join(workDir, 'token.crt');
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30',
    '-keyout', keyFile, '-out', certFile, '-subj', '/CN=acrkit rig token signer',
  ]);
  return { keyPem: await readFile(keyFile, 'utf8'), certPem: await readFile(certFile, 'utf8'), certFile };
}

/** Makes a directory holding `ca.crt`, the layout skopeo's `--cert-dir` options expect. */
export async function writeCertDir(ca: RigCa, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'ca.crt'), ca.certPem);
  return dir;
}
