/** Renders the cases and goals of a run as one plain-text (and Markdown-compatible) table. */
import type { Case, Goal, Row, Skip } from './results';

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '' : n.toFixed(digits));
const fmtSec = (n: number) => (n < 0.1 ? n.toFixed(3) : n < 10 ? n.toFixed(2) : n.toFixed(1));

function cells(c: Case, r: Row): string[] {
  return [
    c.scenario,
    c.name,
    r.contender + (r.contender === c.reference ? ' (ref)' : ''),
    fmtSec(r.median),
    fmtSec(r.min),
    fmtSec(r.max),
    r.mibPerSec === undefined ? '' : r.mibPerSec.toFixed(r.mibPerSec < 10 ? 1 : 0),
    fmt(r.peakRssMiB, 0),
    fmt(r.cpuSeconds, 2),
    fmt(r.serverCpuSeconds, 2),
    r.requests === undefined ? '' : String(Math.round(r.requests)),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.note ?? '',
  ];
}

const HEADER = ['scenario', 'case', 'contender', 'median s', 'min s', 'max s', 'MiB/s', 'peak RSS MiB', 'CPU s', 'server CPU s', 'requests', '× ref', 'note'];

/** A Markdown table of every row of every case. */
export function renderTable(cases: Case[]): string {
  const rows = cases.flatMap((c) => c.rows.map((r) => cells(c, r)));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEADER), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** A Markdown list of goals with pass/miss, and of what was skipped. */
export function renderGoals(goals: Goal[], skipped: Skip[]): string {
  const mark = { pass: 'PASS', miss: 'MISS', 'not-measured': 'NOT MEASURED' } as const;
  const lines = goals.map((g) => `- ${mark[g.status]} [${g.scenario}] ${g.goal}: ${g.detail}`);
  for (const s of skipped) lines.push(`- skipped [${s.scenario}] ${s.what}: ${s.reason}`);
  return lines.join('\n');
}
