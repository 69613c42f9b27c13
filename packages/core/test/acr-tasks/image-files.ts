/**
 * Test helper: pulls an image with skopeo (the independent client) into an OCI layout and lists the
 * files its layers hold, so tests check what a build really produced.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';

const exec = promisify(execFile);

export interface PullAccess {
  /** skopeo source flags: `--src-tls-verify=false` or `--src-cert-dir DIR --src-creds u:p`. */
  flags: string[];
}

export interface PulledImage {
  digest: string;
  /** path → content for regular files (paths without leading `/`). */
  files: Map<string, string>;
}

/** Pulls `ref` (`host/repo:tag`) and reads every layer. */
export async function pullImageFiles(ref: string, access: PullAccess): Promise<PulledImage> {
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-pull-'));
  try {
    const inspect = await exec('skopeo', ['inspect', ...access.flags.map((f) => f.replace('--src-', '--')), `docker://${ref}`]);
    const digest = (JSON.parse(inspect.stdout) as { Digest: string }).Digest;
    await exec('skopeo', ['copy', ...access.flags, `docker://${ref}`, `oci:${dir}:img`]);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    const manifest = JSON.parse(await readFile(blobPath(dir, index.manifests[0]!.digest), 'utf8')) as { layers: Array<{ digest: string }> };
    const files = new Map<string, string>();
    for (const layer of manifest.layers) await readLayer(blobPath(dir, layer.digest), files);
    return { digest, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function blobPath(dir: string, digest: string): string {
  return join(dir, 'blobs', ...digest.split(':'));
}

async function readLayer(path: string, files: Map<string, string>): Promise<void> {
  const raw = await readFile(path);
  const ex = extract();
  Readable.from([raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw]).pipe(ex);
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    const name = entry.header.name.replace(/^\.?\//, '');
    if (entry.header.type === 'file') files.set(name, Buffer.concat(chunks).toString());
  }
}
