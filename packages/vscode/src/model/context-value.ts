/**
 * contextValue strings for menus: `acr:<kind>` then `;`-separated flags in a fixed order, so that
 * package.json `when` clauses match with simple regexes (`viewItem =~ /^acr:tag.*;locked/`).
 */
import type { ModelNode } from './nodes';
import { registryOf } from './nodes';
import { isLocked } from './format';

/** The contextValue of a node. Flags: azure|manual, acr (metadata backend), locked|unlocked, auth. */
export function contextValueOf(node: ModelNode): string {
  const flags: string[] = [];
  const registry = registryOf(node);
  if (registry) flags.push(registry.source);
  if (node.kind === 'tag') {
    flags.push(node.tag.attributes ? (isLocked(node.tag.attributes) ? 'locked' : 'unlocked') : 'unknownlock');
  }
  if (node.kind === 'error') flags.push(node.action);
  return [`acr:${kindName(node)}`, ...flags].join(';');
}

function kindName(node: ModelNode): string {
  return node.kind === 'loadMore' ? 'loadMore' : node.kind;
}
