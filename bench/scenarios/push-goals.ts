/** The push goals of issue 6, evaluated from a spec's cases. */
import type { Case, Goal, Row } from '../lib/results';
import { goal } from '../lib/scenario';
import { ACRKIT, SKOPEO } from './push-tools';

const row = (c: Case | undefined, name: string): Row | undefined => c?.rows.find((r) => r.contender === name);

function ratioGoal(a: Row | undefined, b: Row | undefined, limit: number, bName: string) {
  if (!a || !b) return undefined;
  const ratio = a.median / b.median;
  return { ok: ratio <= limit, detail: `${a.median.toFixed(2)} s vs ${bName} ${b.median.toFixed(2)} s = ${ratio.toFixed(2)}× (limit ${limit}×)` };
}

/** Goals for image `key` (A, B or C) from its first-push, second-push and mount cases. */
export function pushGoals(key: 'A' | 'B' | 'C', cases: Case[], blobCount: number, quick: boolean): Goal[] {
  const phase = (p: string) => cases.find((c) => c.name.endsWith(`: ${p}`));
  const first = phase('first push');
  const second = phase('second push');
  const limit = key === 'C' ? 0.5 : 0.8;
  const goals = [
    goal('push', `${key} first push: acrkit ≤ ${limit} × skopeo`, ratioGoal(row(first, ACRKIT), row(first, SKOPEO), limit, 'skopeo'), quick),
  ];
  if (key === 'A') {
    goals.push(goal('push', 'A first push: acrkit ≤ 1.15 × the single curl PUT', ratioGoal(row(first, ACRKIT), row(first, 'curl POST + PUT (ceiling)'), 1.15, 'curl'), quick));
  }
  const again = row(second, ACRKIT);
  const heads = again?.requestsByMethod?.HEAD;
  goals.push(goal('push', `${key} second push: ≤ 1 HEAD per blob (${blobCount} blobs)`, again && heads !== undefined
    ? { ok: heads <= blobCount, detail: `${heads} HEAD, ${again.requests ?? '?'} requests in all` }
    : undefined, quick));
  goals.push(goal('push', `${key} second push: acrkit ≤ 0.5 × skopeo`, ratioGoal(again, row(second, SKOPEO), 0.5, 'skopeo'), quick));
  return goals;
}
