/**
 * uploadBuildSource against Azurite: a packed context cut into parallel blocks arrives byte for
 * byte, and a refused SAS gives an error without the signature.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SourceUploadError, uploadBuildSource } from '../../src/acr/tasks/upload-source';
import { packBuildContext, readAll } from '../../src/build/pack-context';
import { startAzurite, type Azurite } from '../../../../test/rig/arm/azurite';
import { ensureRigCa, issueServerCert } from '../../../../test/rig/ca';

let azurite: Azurite;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-upload-'));
  azurite = await startAzurite(await issueServerCert(await ensureRigCa(), work), work);
  await azurite.service.getContainerClient('source').createIfNotExists();
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('uploadBuildSource', () => {
  test('uploads a large context as several blocks, byte for byte', async () => {
    const ctx = join(work, 'ctx');
    await mkdir(ctx, { recursive: true });
    await writeFile(join(ctx, 'Dockerfile'), 'FROM scratch\n');
    // Random bytes do not compress: about 3 MiB of archive.
    await writeFile(join(ctx, 'blob.bin'), randomBytes(3 * 1024 * 1024));
    const expected = await readAll((await packBuildContext({ contextDir: ctx })).stream);
    const url = azurite.sasUrl('source', 'big.tar.gz', 'cw');
    const progress: number[] = [];
    const sent = await uploadBuildSource(url, (await packBuildContext({ contextDir: ctx })).stream, {
      blockSize: 512 * 1024, concurrency: 3, onProgress: (b) => progress.push(b),
    });
    const blob = azurite.service.getContainerClient('source').getBlockBlobClient('big.tar.gz');
    const blocks = await blob.getBlockList('committed');
    expect(blocks.committedBlocks!.length).toBeGreaterThanOrEqual(6);
    expect((await blob.downloadToBuffer()).equals(expected)).toBe(true);
    expect(sent).toBe(expected.length);
    expect(progress.length).toBeGreaterThan(1);
  });

  test('a refused upload is a SourceUploadError without the SAS signature', async () => {
    const url = new URL(azurite.sasUrl('source', 'refused.tar.gz', 'r'));
    const sig = url.searchParams.get('sig')!;
    const err = await uploadBuildSource(url.toString(), Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
    expect(SourceUploadError.is(err)).toBe(true);
    expect((err as Error).message).toMatch(/uploading the build context to https:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/source\/refused\.tar\.gz: /);
    expect((err as Error).message).not.toContain(sig);
    expect((err as Error).message).not.toContain(encodeURIComponent(sig));
  });
});
