/**
 * Reads an OCI archive: a tar (optionally gzip'd) of an OCI image layout, as written by
 * `skopeo copy ... oci-archive:FILE` or `buildah push ... oci-archive:FILE`. Read in place, never extracted.
 */
import type { ImageSource, SourceOptions } from './image-source';
import { openArchiveFile } from './archive-file';
import { OciLayoutSource } from './oci-layout-source';

/** Opens the OCI archive `file`. Close the source to remove the temporary copy of a gzip'd archive. */
export async function openOciArchive(file: string, options: SourceOptions = {}): Promise<ImageSource> {
  const archive = await openArchiveFile(file, options);
  try {
    return await OciLayoutSource.open(archive.files, `oci archive ${file}`, options, archive.release);
  } catch (err) {
    await archive.release();
    throw err;
  }
}
