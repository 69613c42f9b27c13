/** Relative times for tree descriptions ("3 hours ago"), from an injectable clock. */

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", "2 years ago"; future times (clock skew) read as "just now". */
export function formatRelativeTime(time: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - time.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  }
  return format.format(-1, 'minute');
}

/** An ISO-like UTC time for tooltips: `2026-11-22 21:07:03 UTC`. */
export function formatAbsoluteTime(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
