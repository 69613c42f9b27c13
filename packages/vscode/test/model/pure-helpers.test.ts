import { describe, expect, it } from 'vitest';
import { compileFilter, describeFilter } from '../../src/model/filter';
import { formatRelativeTime } from '../../src/model/relative-time';
import { classifyError, errorMessage, SignInRequiredError } from '../../src/model/error-kind';
import { formatBytes, formatDigestReference, formatPlatform, formatTagReference } from '../../src/model/format';
import { normalizeLoginServer } from '../../src/model/registry-entry';
import { contextValueOf } from '../../src/model/context-value';
import { normalizeSettings } from '../../src/model/settings';
import { LoadTracker } from '../../src/model/load-tracker';

describe('filters', () => {
  it.each([
    ['app', 'my-app-web', true, [[3, 6]]],
    ['APP', 'my-app-web', true, [[3, 6]]],
    ['app', 'web', false, []],
    ['v1.*', 'v1.2.3', true, [[0, 3]]],
    ['v1.*', 'v10', false, []],
    ['*-rc?', '2.0-rc1', true, [[3, 6]]],
    ['a.b', 'axb', false, []],
  ])('"%s" against "%s"', (pattern, name, matches, ranges) => {
    const filter = compileFilter(pattern)!;
    expect(filter.test(name)).toBe(matches);
    expect(filter.highlights(name)).toEqual(ranges);
  });

  it('blank clears; the message names what is filtered', () => {
    expect(compileFilter('  ')).toBeUndefined();
    expect(describeFilter({})).toBeUndefined();
    expect(describeFilter({ tags: compileFilter('v1*') })).toBe('Showing tags matching "v1*". Clear the filter to see all.');
  });
});

describe('relative time', () => {
  const now = new Date(Date.UTC(2026, 10, 22, 12));
  it.each([
    [10_000, 'just now'],
    [5 * 60_000, '5 minutes ago'],
    [3 * 3600_000, '3 hours ago'],
    [26 * 3600_000, 'yesterday'],
    [3 * 86400_000, '3 days ago'],
    [800 * 86400_000, '2 years ago'],
    [-60_000, 'just now'],
  ])('%i ms ago reads "%s"', (ago, text) => {
    expect(formatRelativeTime(new Date(now.getTime() - ago), now)).toBe(text);
  });
});

describe('errors', () => {
  it('classifies by status, code and cause, never by message', () => {
    expect(classifyError(Object.assign(new Error('x'), { status: 401 }))).toBe('auth');
    expect(classifyError(new SignInRequiredError())).toBe('auth');
    expect(classifyError(new DOMException('x', 'AbortError'))).toBe('cancelled');
    expect(classifyError(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }))).toBe('network');
    expect(classifyError(new Error('401 unauthorized'))).toBe('other');
    expect(errorMessage(new Error('listing tags', { cause: new Error('socket hang up') }))).toBe('listing tags: socket hang up');
  });
});

describe('formatting', () => {
  it('formats references, sizes and platforms', () => {
    expect(formatTagReference('registry-1.docker.io', 'library/nginx', 'latest')).toBe('docker.io/library/nginx:latest');
    expect(formatDigestReference('x.azurecr.io', 'app', 'sha256:ab')).toBe('x.azurecr.io/app@sha256:ab');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
    expect(formatPlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
  });

  it.each([
    ['https://MyReg.azurecr.io/', 'myreg.azurecr.io'],
    ['127.0.0.1:5443', '127.0.0.1:5443'],
    ['docker.io', 'registry-1.docker.io'],
  ])('normalizes login server %s', (input, expected) => {
    expect(normalizeLoginServer(input)).toBe(expected);
  });

  it('rejects a login server that is not a host, naming the input', () => {
    expect(() => normalizeLoginServer('not a host')).toThrow('login server "not a host" is not a host name');
  });

  it('context values carry kind and flags for menus', () => {
    const registry = { kind: 'registry' as const, id: 'r', registry: { id: 'manual:x', loginServer: 'x', source: 'manual' as const, auth: 'basic' as const } };
    const repo = { kind: 'repository' as const, id: 'p', parent: registry, repository: { name: 'app' } };
    expect(contextValueOf(registry)).toBe('acr:registry;manual');
    expect(contextValueOf({ kind: 'tag', id: 't', parent: repo, tag: { name: 'v1', attributes: { writeEnabled: false } } })).toBe('acr:tag;manual;locked');
    expect(contextValueOf({ kind: 'tag', id: 't', parent: repo, tag: { name: 'v1', attributes: { writeEnabled: true, deleteEnabled: true } } })).toBe('acr:tag;manual;unlocked');
  });

  it('clamps settings', () => {
    expect(normalizeSettings({ pageSize: 5000, tagSort: 'bogus' as never })).toEqual({ pageSize: 1000, tagSort: 'newest', repositorySort: 'name', showUntagged: false });
    expect(normalizeSettings({ showUntagged: 'yes' as never }).showUntagged).toBe(false);
    expect(normalizeSettings({ showUntagged: true }).showUntagged).toBe(true);
  });
});

describe('LoadTracker', () => {
  it('aborts a node and the nodes under it, and reports the active count', async () => {
    const tracker = new LoadTracker();
    const counts: number[] = [];
    tracker.onDidChange((n) => counts.push(n));
    const seen: string[] = [];
    const wait = (key: string) => tracker.run(key, (signal) => new Promise<void>((_, reject) => signal.addEventListener('abort', () => { seen.push(key); reject(signal.reason); })));
    const a = wait('repo|r|app');
    const b = wait('repo|r|app|x');
    const c = wait('repo|r|web');
    tracker.abort('repo|r|app');
    await expect(a).rejects.toThrow('Loading cancelled');
    await expect(b).rejects.toThrow();
    expect(seen).toEqual(['repo|r|app', 'repo|r|app|x']);
    tracker.abortAll();
    await expect(c).rejects.toThrow();
    expect(tracker.active).toBe(0);
    expect(counts).toEqual([1, 2, 3, 2, 1, 0]);
  });
});
