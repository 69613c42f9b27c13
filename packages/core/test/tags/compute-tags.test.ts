import { describe, expect, test } from 'vitest';
import { computeTags } from '../../src/tags/compute-tags';
import { parseTagRules } from '../../src/tags/parse-tag-rules';
import type { TagContext } from '../../src/tags/tag-context';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const NOW = new Date('2026-11-22T23:04:05Z');

function ctx(eventName: string, ref: string, extra: Partial<TagContext> = {}): TagContext {
  return { eventName, ref, sha: SHA, defaultBranch: 'main', repository: 'octo/app', ...extra };
}
const push = (ref: string) => ctx('push', ref);
const pr = (n: number, extra: Partial<TagContext> = {}) =>
  ctx('pull_request', `refs/pull/${n}/merge`, { prNumber: n, prHeadSha: HEAD, baseRef: 'main', ...extra });

const SEMVER3 = 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}';

type Case = [name: string, context: TagContext, rules: string, expected: string[], options?: { existingTags?: string[]; latest?: 'auto' | 'true' | 'false'; prHeadSha?: boolean }];

const cases: Case[] = [
  // defaults (empty input)
  ['default: push to main', push('refs/heads/main'), '', ['main', 'sha-860c190']],
  ['default: push to feature branch', push('refs/heads/feature/x'), '', ['feature-x', 'sha-860c190']],
  ['default: stable tag gets latest', push('refs/tags/v1.2.3'), '', ['1.2.3', '1.2', '1', 'sha-860c190', 'latest']],
  ['default: pre-release only full version', push('refs/tags/v2.0.0-rc.1'), '', ['2.0.0-rc.1', 'sha-860c190']],
  ['default: v0.x has no bare 0', push('refs/tags/v0.4.1'), '', ['0.4.1', '0.4', 'sha-860c190', 'latest']],
  ['default: non-semver tag', push('refs/tags/release-x'), '', ['sha-860c190']],
  ['default: pull request', pr(42), '', ['pr-42', 'sha-860c190']],
  ['default: schedule', ctx('schedule', 'refs/heads/main'), '', ['nightly', 'main', 'sha-860c190']],
  ['default: workflow_dispatch on branch', ctx('workflow_dispatch', 'refs/heads/dev'), '', ['dev', 'sha-860c190']],
  ['default: backport does not take latest', push('refs/tags/v1.9.3'), '', ['1.9.3', '1.9', '1', 'sha-860c190'], { existingTags: ['2.0.0', '2.0', '2', 'latest', '1.9.2'] }],
  ['default: newest takes latest over older', push('refs/tags/v2.1.0'), '', ['2.1.0', '2.1', '2', 'sha-860c190', 'latest'], { existingTags: ['2.0.0', 'v1.9.9', 'latest'] }],
  ['default: pre-release in repo does not block latest', push('refs/tags/v2.0.0'), '', ['2.0.0', '2.0', '2', 'sha-860c190', 'latest'], { existingTags: ['3.0.0-rc.1'] }],
  ['default: re-run of same version keeps latest', push('refs/tags/v2.0.0'), '', ['2.0.0', '2.0', '2', 'sha-860c190', 'latest'], { existingTags: ['2.0.0', 'latest'] }],
  ['default: v-prefixed existing tags count', push('refs/tags/v1.0.0'), '', ['1.0.0', '1.0', '1', 'sha-860c190'], { existingTags: ['v1.0.1'] }],
  // semver
  ['semver: version only', push('refs/tags/v3.4.5'), 'type=semver,pattern={{version}}', ['3.4.5', 'latest']],
  ['semver: three patterns', push('refs/tags/3.4.5'), SEMVER3, ['3.4.5', '3.4', '3', 'latest']],
  ['semver: build metadata dropped', push('refs/tags/v1.2.3+build.7'), SEMVER3, ['1.2.3', '1.2', '1', 'latest']],
  ['semver: raw keeps v', push('refs/tags/v1.2.3'), 'type=semver,pattern={{raw}}', ['v1.2.3', 'latest']],
  ['semver: prefix in pattern', push('refs/tags/v1.2.3'), 'type=semver,pattern=v{{major}}.{{minor}}', ['v1.2', 'latest']],
  ['semver: pre-release collapses patterns', push('refs/tags/v1.0.0-beta.2'), SEMVER3, ['1.0.0-beta.2']],
  ['semver: pre-release with raw pattern', push('refs/tags/v1.0.0-beta.2'), 'type=semver,pattern={{raw}}', ['v1.0.0-beta.2']],
  ['semver: invalid version yields nothing', push('refs/tags/v1.2'), SEMVER3, []],
  ['semver: not on branch push', push('refs/heads/main'), SEMVER3, []],
  ['semver: value= on branch push', push('refs/heads/main'), 'type=semver,pattern={{version}},value=v5.6.7', ['5.6.7', 'latest']],
  ['semver: allow-zero gives 0', push('refs/tags/v0.3.0'), 'type=semver,pattern={{major}},allow-zero=true', ['0', 'latest']],
  ['semver: v{{major}} on 0.x skipped', push('refs/tags/v0.3.0'), 'type=semver,pattern=v{{major}}', []],
  ['semver: latest=false flavor', push('refs/tags/v1.2.3'), SEMVER3, ['1.2.3', '1.2', '1'], { latest: 'false' }],
  ['semver: slash in tag becomes dash before parse', push('refs/tags/1.2.3-pre/1'), 'type=semver,pattern={{version}}', ['1.2.3-pre-1']],
  // sha
  ['sha: default short', push('refs/heads/main'), 'type=sha', ['sha-860c190']],
  ['sha: long', push('refs/heads/main'), 'type=sha,format=long', [`sha-${SHA}`]],
  ['sha: length 12', push('refs/heads/main'), 'type=sha,length=12', ['sha-860c1904a1ce']],
  ['sha: no prefix', push('refs/heads/main'), 'type=sha,prefix=', ['860c190']],
  ['sha: PR merge commit by default', pr(7), 'type=sha', ['sha-860c190']],
  ['sha: PR head when asked', pr(7), 'type=sha', ['sha-a1b2c3d'], { prHeadSha: true }],
  ['sha: head option ignored outside PRs', push('refs/heads/main'), 'type=sha', ['sha-860c190'], { prHeadSha: true }],
  // ref
  ['ref branch: slash to dash', push('refs/heads/dependabot/npm_and_yarn/foo-1.2'), 'type=ref,event=branch', ['dependabot-npm_and_yarn-foo-1.2']],
  ['ref branch: not on tag push', push('refs/tags/v1.0.0'), 'type=ref,event=branch', []],
  ['ref branch: hash and plus sanitised', push('refs/heads/fix#12+x'), 'type=ref,event=branch', ['fix-12-x']],
  ['ref branch: leading dot dropped', push('refs/heads/.hidden'), 'type=ref,event=branch', ['hidden']],
  ['ref branch: truncated to 128', push(`refs/heads/${'a'.repeat(200)}`), 'type=ref,event=branch', ['a'.repeat(128)]],
  ['ref branch: case preserved', push('refs/heads/Feature'), 'type=ref,event=branch', ['Feature']],
  ['ref tag: as is', push('refs/tags/release-2024'), 'type=ref,event=tag', ['release-2024']],
  ['ref tag: semver tag also takes latest', push('refs/tags/v4.0.0'), 'type=ref,event=tag', ['v4.0.0', 'latest']],
  ['ref tag: stable semver below existing no latest', push('refs/tags/v1.0.0'), 'type=ref,event=tag', ['v1.0.0'], { existingTags: ['v4.0.0'] }],
  ['ref pr: number', pr(123), 'type=ref,event=pr', ['pr-123']],
  ['ref pr: custom prefix', pr(5), 'type=ref,event=pr,prefix=pull-', ['pull-5']],
  ['ref pr: pull_request_target uses payload number', ctx('pull_request_target', 'refs/heads/main', { prNumber: 9 }), 'type=ref,event=pr', ['pr-9']],
  ['ref pr: not on push', push('refs/heads/main'), 'type=ref,event=pr', []],
  // edge
  ['edge: default branch', push('refs/heads/main'), 'type=edge', ['edge']],
  ['edge: other branch', push('refs/heads/dev'), 'type=edge', []],
  ['edge: branch= set', push('refs/heads/dev'), 'type=edge,branch=dev', ['edge']],
  // schedule
  ['schedule: date pattern', ctx('schedule', 'refs/heads/main'), "type=schedule,pattern={{date 'YYYYMMDD'}}", ['20261122']],
  ['schedule: date with tz', ctx('schedule', 'refs/heads/main'), "type=schedule,pattern={{date 'YYYYMMDD-HH' tz='Asia/Tokyo'}}", ['20261123-08']],
  ['schedule: not on push', push('refs/heads/main'), 'type=schedule', []],
  // raw, enable, priority, prefix/suffix
  ['raw: bare line', push('refs/heads/main'), 'latest\nstable', ['latest', 'stable']],
  ['raw: latest on default branch only', push('refs/heads/main'), 'type=raw,value=latest,enable={{is_default_branch}}', ['latest']],
  ['raw: latest on default branch, not dev', push('refs/heads/dev'), 'type=raw,value=latest,enable={{is_default_branch}}', []],
  ['raw: enable=false', push('refs/heads/main'), 'type=raw,value=x,enable=false', []],
  ['raw: expressions in value', push('refs/heads/main'), 'type=raw,value={{branch}}-{{sha}}', ['main-860c190']],
  ['raw: quoted value with comma sanitised', push('refs/heads/main'), 'type=raw,value="a,b"', ['a-b']],
  ['priority: raw above sha', push('refs/heads/main'), 'type=sha\ntype=raw,value=first,priority=2000', ['first', 'sha-860c190']],
  ['suffix: on branch', push('refs/heads/main'), 'type=ref,event=branch,suffix=-alpine', ['main-alpine']],
  ['prefix with expression', push('refs/heads/main'), 'type=sha,prefix={{branch}}-', ['main-860c190']],
  ['dedupe identical values', push('refs/heads/main'), 'type=raw,value=main\ntype=ref,event=branch', ['main']],
  ['latest=true forces latest', push('refs/heads/main'), 'type=ref,event=branch', ['main', 'latest'], { latest: 'true' }],
  ['latest=true with nothing produced', push('refs/heads/main'), 'type=ref,event=pr', [], { latest: 'true' }],
];

describe('computeTags', () => {
  test('has at least 40 table cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  test.each(cases)('%s', (_name, context, rules, expected, options) => {
    const result = computeTags(parseTagRules(rules), context, { now: NOW, ...options });
    expect(result.tags).toEqual(expected);
    for (const t of result.tags) expect(t).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
  });

  test('version is the first tag and latest is reported', () => {
    const r = computeTags(parseTagRules(''), push('refs/tags/v1.2.3'), { now: NOW });
    expect(r.version).toBe('1.2.3');
    expect(r.latest).toBe(true);
  });

  test('warns when a git tag is not semver and when 0 is skipped', () => {
    expect(computeTags(parseTagRules(SEMVER3), push('refs/tags/v1.2'), { now: NOW }).warnings[0]).toMatch(/not a semantic version/);
    expect(computeTags(parseTagRules(SEMVER3), push('refs/tags/v0.1.0'), { now: NOW }).warnings.join()).toMatch(/allow-zero=true/);
  });
});
