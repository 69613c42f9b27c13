/** The job summary table (GITHUB_STEP_SUMMARY): image, tags, digest, platforms and size. */
import type { SummaryRow } from './commands/command';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Markdown for the summary: a heading and one table row per image. */
export function summaryMarkdown(command: string, rows: SummaryRow[]): string {
  const lines = [
    `### acrkit ${command}`,
    '',
    '| Image | Tags | Digest | Platforms | Size |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${esc(r.image)} | ${r.tags.map((t) => `\`${esc(t)}\``).join(' ')} | ${r.digest ? `\`${r.digest}\`` : ''} | ${esc((r.platforms ?? []).join(', '))} | ${formatSize(r.size)} |`),
    '',
  ];
  return lines.join('\n');
}
