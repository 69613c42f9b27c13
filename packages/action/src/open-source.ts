/**
 * Opens the `source` of `push` as a core ImageSource. `docker:IMAGE` runs `docker save` into a
 * temporary archive first (the only form that needs a Docker daemon).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openDockerArchive } from '@acrkit/core/sources/docker-archive';
import type { ImageSource } from '@acrkit/core/sources/image-source';
import { openOciArchive } from '@acrkit/core/sources/oci-archive';
import { openOciLayout } from '@acrkit/core/sources/oci-layout-source';
import type { ImageSourceSpec } from './source-spec';

function dockerSave(image: string, file: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('docker', ['save', '--output', file, image], { signal, maxBuffer: 1024 * 1024 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new Error(`source docker:${image} needs the Docker CLI and a running daemon; use oci-layout:, oci-archive: or docker-archive: instead`));
      }
      reject(new Error(`docker save ${image} failed: ${String(stderr).trim() || (err as Error).message}`));
    });
  });
}

/** Opens the image source; `tempDir` holds a `docker save` archive. Close it when done. */
export async function openSource(spec: ImageSourceSpec, options: { signal: AbortSignal; tempDir: string }): Promise<ImageSource> {
  const { signal } = options;
  switch (spec.kind) {
    case 'oci-layout': return openOciLayout(spec.path, { signal });
    case 'oci-archive': return openOciArchive(spec.path, { signal });
    case 'docker-archive': return openDockerArchive(spec.path, { signal });
    case 'docker': {
      const dir = await mkdtemp(join(options.tempDir, 'acrkit-docker-save-'));
      try {
        await dockerSave(spec.image, join(dir, 'image.tar'), signal);
        const source = await openDockerArchive(join(dir, 'image.tar'), { signal });
        return {
          description: `docker image ${spec.image}`,
          resolve: (tag, o) => source.resolve(tag, o),
          tags: (o) => source.tags(o),
          fetchManifest: (d, o) => source.fetchManifest(d, o),
          openBlob: (d, o) => source.openBlob(d, o),
          blobSize: (d, o) => source.blobSize(d, o),
          close: async () => { await source.close(); await rm(dir, { recursive: true, force: true }); },
        };
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
    case 'registry': throw new Error('a registry image is a source for command tag, not push');
  }
}
