/** One object per node id, so the tree can refresh a node by identity and ids stay stable. */
import type { ModelNode } from './nodes';

export class NodeStore {
  private readonly byId = new Map<string, ModelNode>();

  /** Returns the existing node with this id, updated in place, or stores and returns the new one. */
  intern<T extends ModelNode>(node: T): T {
    const existing = this.byId.get(node.id);
    if (existing && existing.kind === node.kind) {
      // Fields the new data does not carry (e.g. a resolved manifest) are kept.
      for (const [key, value] of Object.entries(node)) if (value !== undefined) (existing as unknown as Record<string, unknown>)[key] = value;
      return existing as T;
    }
    this.byId.set(node.id, node);
    return node;
  }

  get(id: string): ModelNode | undefined {
    return this.byId.get(id);
  }
}
