/**
 * Name filters for repositories and tags. A pattern with `*` or `?` is a glob matched against the whole
 * name; anything else is a case-insensitive substring. Both give highlight ranges for the tree labels.
 */

export interface NameFilter {
  readonly pattern: string;
  test(name: string): boolean;
  /** [start, end) ranges of the name to highlight; empty when the filter does not match. */
  highlights(name: string): Array<[number, number]>;
}

/** Compiles a filter; an empty or blank pattern gives undefined (no filter). */
export function compileFilter(pattern: string | undefined): NameFilter | undefined {
  const trimmed = pattern?.trim();
  if (!trimmed) return undefined;
  return /[*?]/.test(trimmed) ? globFilter(trimmed) : substringFilter(trimmed);
}

function substringFilter(pattern: string): NameFilter {
  const needle = pattern.toLowerCase();
  return {
    pattern,
    test: (name) => name.toLowerCase().includes(needle),
    highlights: (name) => {
      const at = name.toLowerCase().indexOf(needle);
      return at < 0 ? [] : [[at, at + needle.length]];
    },
  };
}

function globFilter(pattern: string): NameFilter {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'i');
  // Highlight the literal runs between wildcards, found left to right.
  const literals = pattern.toLowerCase().split(/[*?]+/).filter(Boolean);
  return {
    pattern,
    test: (name) => regex.test(name),
    highlights: (name) => {
      if (!regex.test(name)) return [];
      const lower = name.toLowerCase();
      const ranges: Array<[number, number]> = [];
      let from = 0;
      for (const literal of literals) {
        const at = lower.indexOf(literal, from);
        if (at < 0) break;
        ranges.push([at, at + literal.length]);
        from = at + literal.length;
      }
      return ranges;
    },
  };
}

/** The filters the explorer applies; either may be undefined. */
export interface FilterState {
  repositories?: NameFilter;
  tags?: NameFilter;
}

/** The text for the view's message, or undefined when nothing is filtered. */
export function describeFilter(state: FilterState): string | undefined {
  const parts: string[] = [];
  if (state.repositories) parts.push(`repositories matching "${state.repositories.pattern}"`);
  if (state.tags) parts.push(`tags matching "${state.tags.pattern}"`);
  return parts.length ? `Showing ${parts.join(' and ')}. Clear the filter to see all.` : undefined;
}
