/**
 * Tags, labels and annotations of a run, as the `meta`, `push` and `tag` commands output them
 * (docker/metadata-action's outputs: `tags`, `version`, `labels`, `annotations`, `json`).
 */
import { computeTags } from '@acrkit/core/tags/compute-tags';
import { computeLabels, toAnnotations } from '@acrkit/core/tags/oci-labels';
import type { TagContext } from '@acrkit/core/tags/tag-context';
import type { Inputs } from './inputs';

export interface Metadata {
  /** Full references `registry/image:tag` (just `image:tag` without a registry). */
  refs: string[];
  tagNames: string[];
  version: string;
  latest: boolean;
  labels: Record<string, string>;
  annotations: string[];
  warnings: string[];
}

/** Computes the metadata; `existingTags` are the repository's tags (for `latest`). */
export function computeMetadata(
  inputs: Inputs, github: TagContext, options: { now: Date; existingTags?: string[] },
): Metadata {
  const tags = computeTags(inputs.tagRules, github, {
    now: options.now, existingTags: options.existingTags, latest: inputs.latest, prHeadSha: inputs.prHeadSha,
  });
  const name = inputs.registry ? `${inputs.registry}/${inputs.image}` : inputs.image;
  const labels = computeLabels(github, {
    version: tags.version, now: options.now, sourceDateEpoch: inputs.sourceDateEpoch, overrides: inputs.labels,
  });
  return {
    refs: tags.tags.map((t) => `${name}:${t}`),
    tagNames: tags.tags,
    version: tags.version,
    latest: tags.latest,
    labels,
    annotations: toAnnotations(labels),
    warnings: tags.warnings,
  };
}

/** The outputs shared by meta, push and tag. */
export function metadataOutputs(meta: Metadata): Record<string, string> {
  return {
    tags: meta.refs.join('\n'),
    'tag-names': meta.tagNames.join('\n'),
    version: meta.version,
    labels: Object.entries(meta.labels).map(([k, v]) => `${k}=${v}`).join('\n'),
    annotations: meta.annotations.join('\n'),
    json: JSON.stringify({ tags: meta.refs, version: meta.version, labels: meta.labels, annotations: meta.annotations }),
  };
}
