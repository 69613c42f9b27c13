/**
 * ACR's "image lock" rules over the changeable attributes [doc: container-registry-image-lock]:
 * `writeEnabled:false` blocks overwriting AND deleting (Azure/acr#561: "write-enabled: block both
 * update and delete"; Azure/acr-cli#70), `deleteEnabled:false` blocks deleting, `readEnabled:false`
 * blocks pulling. A repository's attributes apply to everything in it. Changing the attributes
 * themselves (PATCH) is always allowed: that is how things are unlocked.
 */
import type { Attributes, MetadataStore } from './metadata-store';

const deletable = (a: Attributes | undefined) => !a || (a.deleteEnabled && a.writeEnabled);

/** Whether a manifest PUT to `reference` (tag or digest) may proceed. */
export function canPush(store: MetadataStore, repository: string, reference: string): boolean {
  if (store.repositories.get(repository)?.attributes.writeEnabled === false) return false;
  if (reference.includes(':')) return true; // a digest is content-addressed: a re-push changes nothing
  return store.getTag(repository, reference)?.attributes.writeEnabled !== false;
}

export function canDeleteTag(store: MetadataStore, repository: string, tag: string): boolean {
  return deletable(store.repositories.get(repository)?.attributes) && deletable(store.getTag(repository, tag)?.attributes);
}

/** A manifest delete also removes its tags, so a locked tag on it blocks the delete. */
export function canDeleteManifest(store: MetadataStore, repository: string, digest: string): boolean {
  if (!deletable(store.repositories.get(repository)?.attributes)) return false;
  if (!deletable(store.getManifest(repository, digest)?.attributes)) return false;
  return store.tagsOf(repository).every((t) => t.digest !== digest || deletable(t.attributes));
}

export function canDeleteRepository(store: MetadataStore, repository: string): boolean {
  if (!deletable(store.repositories.get(repository)?.attributes)) return false;
  return store.tagsOf(repository).every((t) => deletable(t.attributes)) && store.manifestsOf(repository).every((m) => deletable(m.attributes));
}

/** Whether a pull of `reference` (tag or digest) may proceed. */
export function canPull(store: MetadataStore, repository: string, reference: string): boolean {
  if (store.repositories.get(repository)?.attributes.readEnabled === false) return false;
  if (reference.includes(':')) return store.getManifest(repository, reference)?.attributes.readEnabled !== false;
  const tag = store.getTag(repository, reference);
  if (tag?.attributes.readEnabled === false) return false;
  return !tag || store.getManifest(repository, tag.digest)?.attributes.readEnabled !== false;
}
