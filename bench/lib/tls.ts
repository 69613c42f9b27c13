/**
 * A throwaway CA and a server certificate for 127.0.0.1, made with openssl, so the plain Distribution
 * registry speaks HTTPS like ACR does (the Azure SDK refuses bearer auth over HTTP, and TLS cost is part
 * of every real push). Node children trust it through NODE_EXTRA_CA_CERTS, skopeo through --dest-cert-dir,
 * curl through --cacert.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BenchTls {
  /** Directory holding only `ca.crt` (what skopeo's --dest-cert-dir wants). */
  certDir: string;
  caFile: string;
  serverCert: string;
  serverKey: string;
}

/** Writes a CA (certDir/ca.crt) and a 127.0.0.1 server key pair (dir/server) under `dir`. */
export async function makeTls(dir: string): Promise<BenchTls> {
  const certDir = join(dir, 'ca');
  const server = join(dir, 'server');
  await mkdir(certDir, { recursive: true });
  await mkdir(server, { recursive: true });
  const caFile = join(certDir, 'ca.crt');
  const caKey = join(server, 'ca.key');
  const serverKey = join(server, 'server.key');
  const serverCert = join(server, 'server.crt');
  const csr = join(server, 'server.csr');
  const ext = join(server, 'ext.cnf');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '2',
    '-subj', '/CN=acrkit bench CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', serverKey, '-out', csr, '-subj', '/CN=127.0.0.1']);
  await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', serverCert, '-days', '2', '-extfile', ext]);
  return { certDir, caFile, serverCert, serverKey };
}
