/**
 * The two things ACR can do that Distribution 2.8's API cannot: delete a tag (Distribution answers
 * 400 DIGEST_INVALID to DELETE /v2/<n>/manifests/<tag> [obs]) and delete a whole repository. Both are
 * done on Distribution's filesystem storage, whose layout is stable across 2.x:
 * `<root>/docker/registry/v2/repositories/<name>/_manifests/{tags/<tag>,revisions/sha256/<hex>}`.
 */
import { readFile, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

function repositoriesDir(storageDir: string): string {
  return join(storageDir, 'docker', 'registry', 'v2', 'repositories');
}

function repositoryDir(storageDir: string, repository: string): string {
  if (repository.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`refusing repository name "${repository}" as a storage path`);
  }
  return join(repositoriesDir(storageDir), ...repository.split('/'));
}

/** Removes a tag's link directory, so Distribution no longer lists or resolves it. */
export async function removeTagFiles(storageDir: string, repository: string, tag: string): Promise<void> {
  if (tag.includes('/') || tag.startsWith('.')) throw new Error(`refusing tag "${tag}" as a storage path`);
  await rm(join(repositoryDir(storageDir, repository), '_manifests', 'tags', tag), { recursive: true, force: true });
}

/** Removes a repository directory and then its parents left empty (`library/` after `library/app`). */
export async function removeRepositoryFiles(storageDir: string, repository: string): Promise<void> {
  const dir = repositoryDir(storageDir, repository);
  await rm(dir, { recursive: true, force: true });
  const root = repositoriesDir(storageDir);
  for (let parent = dirname(dir); parent.startsWith(root) && parent !== root; parent = dirname(parent)) {
    try {
      await rmdir(parent); // fails when not empty, which is where we stop
    } catch {
      break;
    }
  }
}

/** Digests of the manifests Distribution holds for `repository` (tagged or not). */
export async function listManifestRevisions(storageDir: string, repository: string): Promise<string[]> {
  const dir = join(repositoryDir(storageDir, repository), '_manifests', 'revisions', 'sha256');
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const digests: string[] = [];
  for (const hex of entries) {
    // Distribution deletes a manifest by removing its revision link; the directory may stay behind.
    const linked = await stat(join(dir, hex, 'link')).then(() => true, () => false);
    if (linked) digests.push(`sha256:${hex}`);
  }
  return digests;
}

/** When a tag was last pointed somewhere, from its link file; undefined when unknown. */
export async function tagLinkTime(storageDir: string, repository: string, tag: string): Promise<Date | undefined> {
  const link = join(repositoryDir(storageDir, repository), '_manifests', 'tags', tag, 'current', 'link');
  return stat(link).then((s) => s.mtime, () => undefined);
}

/** How many tag directories the repository has (Distribution lists exactly these); 0 when none. */
export async function countTagDirectories(storageDir: string, repository: string): Promise<number> {
  return readdir(join(repositoryDir(storageDir, repository), '_manifests', 'tags')).then((names) => names.length, () => 0);
}

/** The digest a tag's link file points at; undefined when unknown. */
export async function tagLinkDigest(storageDir: string, repository: string, tag: string): Promise<string | undefined> {
  if (tag.includes('/') || tag.startsWith('.')) return undefined;
  const link = join(repositoryDir(storageDir, repository), '_manifests', 'tags', tag, 'current', 'link');
  return readFile(link, 'utf8').then((text) => text.trim() || undefined, () => undefined);
}
