/**
 * What ACR knows and Distribution does not: created and last-updated times, sizes, platforms and the
 * changeable attributes (locks) of repositories, tags and manifests. In memory, fed by the front's
 * `afterProxy` (manifest PUTs and deletes) and by lazy reconciliation with Distribution on reads,
 * so whatever Distribution holds is listed even when it got there another way.
 */
import { createTickClock, type Ticks } from './acr-time';

export interface Attributes {
  deleteEnabled: boolean;
  writeEnabled: boolean;
  readEnabled: boolean;
  listEnabled: boolean;
}

export interface RepositoryRecord {
  name: string;
  created: Ticks;
  updated: Ticks;
  attributes: Attributes;
}

/** What can be read from a manifest and its config blob. */
export interface ManifestFacts {
  digest: string;
  mediaType: string;
  imageSize: number;
  architecture?: string;
  os?: string;
  references?: { digest: string; architecture?: string; os?: string }[];
}

export interface ManifestRecord extends ManifestFacts {
  repository: string;
  created: Ticks;
  updated: Ticks;
  attributes: Attributes;
}

export interface TagRecord {
  repository: string;
  name: string;
  digest: string;
  created: Ticks;
  updated: Ticks;
  attributes: Attributes;
}

export const DEFAULT_ATTRIBUTES: Readonly<Attributes> = {
  deleteEnabled: true,
  writeEnabled: true,
  readEnabled: true,
  listEnabled: true,
};

const ATTRIBUTE_KEYS = Object.keys(DEFAULT_ATTRIBUTES) as (keyof Attributes)[];

/** Applies the boolean keys of a PATCH body; throws on anything that is not a boolean attribute. */
export function applyAttributes(target: Attributes, patch: unknown): void {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new Error('expected a JSON object of changeable attributes');
  }
  for (const [key, value] of Object.entries(patch)) {
    if (!ATTRIBUTE_KEYS.includes(key as keyof Attributes)) continue; // ACR ignores unknown keys [unverified]
    if (typeof value !== 'boolean') throw new Error(`"${key}" must be a boolean`);
    target[key as keyof Attributes] = value;
  }
}

/**
 * Records are indexed per repository (name -> record) so that lookups are O(1) and listing one
 * repository costs its own size, not the size of the whole store (10,000-tag rigs are benchmarked).
 */
export class MetadataStore {
  readonly repositories = new Map<string, RepositoryRecord>();
  private readonly manifests = new Map<string, Map<string, ManifestRecord>>();
  private readonly tags = new Map<string, Map<string, TagRecord>>();
  readonly tick: () => Ticks;

  constructor(now?: () => Date | number) {
    this.tick = createTickClock(now);
  }

  ensureRepository(name: string, at: Ticks = this.tick()): RepositoryRecord {
    let repo = this.repositories.get(name);
    if (!repo) {
      repo = { name, created: at, updated: at, attributes: { ...DEFAULT_ATTRIBUTES } };
      this.repositories.set(name, repo);
    }
    return repo;
  }

  getManifest(repository: string, digest: string): ManifestRecord | undefined {
    return this.manifests.get(repository)?.get(digest);
  }

  getTag(repository: string, tag: string): TagRecord | undefined {
    return this.tags.get(repository)?.get(tag);
  }

  tagsOf(repository: string): TagRecord[] {
    return [...(this.tags.get(repository)?.values() ?? [])];
  }

  manifestsOf(repository: string): ManifestRecord[] {
    return [...(this.manifests.get(repository)?.values() ?? [])];
  }

  tagCount(repository: string): number {
    return this.tags.get(repository)?.size ?? 0;
  }

  manifestCount(repository: string): number {
    return this.manifests.get(repository)?.size ?? 0;
  }

  tagNamesFor(repository: string, digest: string): string[] {
    return this.tagsOf(repository).filter((t) => t.digest === digest).map((t) => t.name).sort();
  }

  /** Records a pushed (or discovered) manifest; a re-push of a known digest only touches its time. */
  recordManifest(repository: string, facts: ManifestFacts, at: Ticks = this.tick()): ManifestRecord {
    const repo = this.ensureRepository(repository, at);
    repo.updated = Math.max(repo.updated, at);
    const manifests = indexOf(this.manifests, repository);
    const known = manifests.get(facts.digest);
    if (known) {
      known.updated = Math.max(known.updated, at);
      return known;
    }
    const record: ManifestRecord = { ...facts, repository, created: at, updated: at, attributes: { ...DEFAULT_ATTRIBUTES } };
    manifests.set(facts.digest, record);
    return record;
  }

  /** Points `tag` at `digest`; keeps the tag's attributes and creation time when it already existed. */
  recordTag(repository: string, tag: string, digest: string, at: Ticks = this.tick()): TagRecord {
    const repo = this.ensureRepository(repository, at);
    repo.updated = Math.max(repo.updated, at);
    const tags = indexOf(this.tags, repository);
    const known = tags.get(tag);
    if (known) {
      if (known.digest !== digest) {
        known.digest = digest;
        known.updated = at;
      }
      return known;
    }
    const record: TagRecord = { repository, name: tag, digest, created: at, updated: at, attributes: { ...DEFAULT_ATTRIBUTES } };
    tags.set(tag, record);
    return record;
  }

  removeTag(repository: string, tag: string): void {
    if (this.tags.get(repository)?.delete(tag)) this.touch(repository);
  }

  /** Forgets a manifest and the tags that pointed at it (Distribution untags them too); returns those tags. */
  removeManifest(repository: string, digest: string): string[] {
    const tags = this.tagNamesFor(repository, digest);
    for (const tag of tags) this.tags.get(repository)?.delete(tag);
    this.manifests.get(repository)?.delete(digest);
    this.touch(repository);
    return tags;
  }

  removeRepository(repository: string): void {
    this.tags.delete(repository);
    this.manifests.delete(repository);
    this.repositories.delete(repository);
  }

  private touch(repository: string): void {
    const repo = this.repositories.get(repository);
    if (repo) repo.updated = this.tick();
  }
}

function indexOf<T>(index: Map<string, Map<string, T>>, repository: string): Map<string, T> {
  let records = index.get(repository);
  if (!records) {
    records = new Map();
    index.set(repository, records);
  }
  return records;
}
