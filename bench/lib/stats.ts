/** Order statistics for benchmark samples. */

export interface Summary {
  median: number;
  min: number;
  max: number;
}

/** Median (mean of the middle two for an even count), min and max; throws on no samples. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: expected at least one sample');
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

/** Median of the defined values, or undefined when there are none. */
export function medianOf(values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return defined.length ? summarize(defined).median : undefined;
}

/** Largest defined value, or undefined. */
export function maxOf(values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return defined.length ? Math.max(...defined) : undefined;
}
