/**
 * Azurite (Microsoft's Azure Storage emulator, from npm) as the rig's blob storage: build contexts are
 * uploaded to it and run logs are append blobs in it, reached through SAS URLs exactly as in Azure.
 * Served over HTTPS with a certificate from the rig CA, on a free loopback port, with a temporary
 * workspace; `--loose` and `--skipApiVersionCheck` because the storage SDK is newer than Azurite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { registerSecrets } from '../../support/secret-registry';
import type { KeyPair } from '../ca';
import { stopChild } from '../stop-child';

/** Azurite's well-known development account (public, documented; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** `https://127.0.0.1:<port>/devstoreaccount1` */
  accountUrl: string;
  service: BlobServiceClient;
  /** A SAS URL for one blob, valid for an hour. */
  sasUrl(container: string, blob: string, permissions: string): string;
  /** The SAS signatures handed out so far (secrets; processes without the test harness dump them). */
  signatures(): string[];
  stop(): Promise<void>;
}

/** Starts `azurite-blob` with its workspace in `workDir`. */
export async function startAzurite(tls: KeyPair, workDir: string): Promise<Azurite> {
  await writeFile(join(workDir, 'azurite.crt'), tls.certPem);
  await writeFile(join(workDir, 'azurite.key'), tls.keyPem);
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'blob', 'main.js');
  const child = spawn(process.execPath, [
    main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', workDir,
    '--skipApiVersionCheck', '--loose', '--disableTelemetry', '--silent',
    '--cert', join(workDir, 'azurite.crt'), '--key', join(workDir, 'azurite.key'),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await listeningUrl(child);
  const accountUrl = `${url}/${DEV_ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY);
  const signatures: string[] = [];
  return {
    accountUrl,
    service: new BlobServiceClient(accountUrl, credential),
    sasUrl(container, blob, permissions) {
      const sas = generateBlobSASQueryParameters({
        containerName: container,
        blobName: blob,
        permissions: BlobSASPermissions.parse(permissions),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3_600_000),
        protocol: SASProtocol.Https,
      }, credential);
      registerSecrets('Azurite SAS signature', sas.signature);
      signatures.push(sas.signature);
      return `${accountUrl}/${container}/${blob.split('/').map(encodeURIComponent).join('/')}?${sas.toString()}`;
    },
    signatures: () => [...signatures],
    stop: () => stopChild(child),
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`azurite did not start in 30 s: ${out.slice(-500)}`)), 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listens on (https?:\/\/[0-9.]+:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => fail(new Error(`azurite exited with ${code}: ${out.slice(-500)}`)));
  });
}

