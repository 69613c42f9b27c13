/** The job summary of a cloud build: run id, status, duration and platforms, then images with digests. */
import type { ImageDescriptor, RunStatus } from '@acrkit/core/acr/tasks/run-types';

export interface BuildSummary {
  registry: string;
  runId: string;
  status: RunStatus;
  durationMs: number;
  platforms: string[];
  images: ImageDescriptor[];
  /** ACR's error message on failure (secrets already masked). */
  error?: string;
}

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const ICON: Partial<Record<RunStatus, string>> = { Succeeded: '✅', Failed: '❌', Error: '❌', Timeout: '⏱️', Canceled: '🚫' };

/** `1m 05s`, `42s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Markdown for GITHUB_STEP_SUMMARY. Images are grouped by repository and digest, tags joined. */
export function buildSummaryMarkdown(s: BuildSummary): string {
  const lines = [
    '### acrkit build',
    '',
    '| Run | Status | Duration | Platforms |',
    '| --- | --- | --- | --- |',
    `| \`${esc(s.runId)}\` | ${ICON[s.status] ?? ''} ${s.status} | ${formatDuration(s.durationMs)} | ${esc(s.platforms.join(', '))} |`,
    '',
  ];
  if (s.error) lines.push(`> ${esc(s.error)}`, '');
  const groups = new Map<string, { image: string; digest: string; tags: string[] }>();
  for (const i of s.images) {
    const image = `${i.registry ?? s.registry}/${i.repository ?? ''}`;
    const key = `${image}@${i.digest ?? ''}`;
    const g = groups.get(key) ?? { image, digest: i.digest ?? '', tags: [] };
    if (i.tag) g.tags.push(i.tag);
    groups.set(key, g);
  }
  if (groups.size) {
    lines.push('| Image | Tags | Digest |', '| --- | --- | --- |');
    for (const g of groups.values()) lines.push(`| ${esc(g.image)} | ${g.tags.map((t) => `\`${esc(t)}\``).join(' ')} | ${g.digest ? `\`${g.digest}\`` : ''} |`);
    lines.push('');
  }
  return lines.join('\n');
}
