/**
 * The loads in flight, one AbortController per tree node. A refresh or collapse aborts that node's load,
 * "Cancel loading" aborts all; listeners hear when the count changes (the view shows a Cancel button).
 */
export class LoadTracker {
  private readonly loads = new Map<string, Set<AbortController>>();
  private readonly listeners = new Set<(active: number) => void>();

  /** Runs `fn` with a signal aborted by `abort(key)` or `abortAll()`. */
  async run<T>(key: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let set = this.loads.get(key);
    if (!set) this.loads.set(key, (set = new Set()));
    set.add(controller);
    this.emit();
    try {
      return await fn(controller.signal);
    } finally {
      set.delete(controller);
      if (set.size === 0 && this.loads.get(key) === set) this.loads.delete(key);
      this.emit();
    }
  }

  /** Aborts the loads of one key, and of every key under it (`prefix|…`). */
  abort(key: string): void {
    for (const [k, set] of this.loads) {
      if (k === key || k.startsWith(`${key}|`)) for (const c of set) c.abort(new DOMException('Loading cancelled', 'AbortError'));
    }
  }

  abortAll(): void {
    for (const set of this.loads.values()) for (const c of set) c.abort(new DOMException('Loading cancelled', 'AbortError'));
  }

  get active(): number {
    let n = 0;
    for (const set of this.loads.values()) n += set.size;
    return n;
  }

  onDidChange(listener: (active: number) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(): void {
    const active = this.active;
    for (const l of this.listeners) l(active);
  }
}
