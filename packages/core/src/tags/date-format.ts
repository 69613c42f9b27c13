/**
 * The `{{date 'FORMAT' tz='Zone'}}` expression of metadata-action, without moment: the tokens people
 * use in tags (YYYY YY MM DD HH mm ss SSS), anything else kept literally.
 */

const TOKEN = /YYYY|YY|MM|DD|HH|mm|ss|SSS/g;

/** Whether `tz` is an IANA time zone this Node knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The calendar fields of `date` in `tz` (default UTC). */
function fieldsIn(date: Date, tz: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const out: Record<string, string> = {};
  for (const p of parts) out[p.type] = p.value;
  return out;
}

/** Formats `date` with moment-style tokens in time zone `tz` (default `UTC`). */
export function formatDate(date: Date, format: string, tz = 'UTC'): string {
  const f = fieldsIn(date, tz);
  const year = (f.year ?? '').padStart(4, '0');
  const values: Record<string, string> = {
    YYYY: year,
    YY: year.slice(-2),
    MM: f.month ?? '',
    DD: f.day ?? '',
    HH: f.hour === '24' ? '00' : (f.hour ?? ''),
    mm: f.minute ?? '',
    ss: f.second ?? '',
    SSS: String(date.getUTCMilliseconds()).padStart(3, '0'),
  };
  return format.replace(TOKEN, (t) => values[t] ?? t);
}
