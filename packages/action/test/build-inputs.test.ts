import { describe, expect, test } from 'vitest';
import { readBuildInputs, secretBuildArgValues } from '../src/build/build-inputs';
import { buildRunRecorder, unfinishedBuild } from '../src/build/build-state';
import { buildSummaryMarkdown, formatDuration } from '../src/build/build-summary';
import { InputError } from '../src/input-error';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readBuildInputs', () => {
  test('defaults: context ., linux/amd64, push on, cache on, nothing else', () => {
    expect(readBuildInputs(reader({}))).toEqual({ context: '.', buildArgs: {}, secretBuildArgs: {}, platforms: ['linux/amd64'], noCache: false, push: true });
  });

  test('every input, parsed', () => {
    const i = readBuildInputs(reader({
      context: ' app ', file: 'app/Build.Dockerfile', target: 'runtime',
      'build-args': 'A=1\n# comment\n\n B = two words \nEMPTY=',
      'secret-build-args': 'TOKEN= s3cr3t with spaces ',
      platforms: 'linux/amd64, linux/arm64/v8\nlinux/amd64', 'no-cache': 'true', push: 'False', timeout: '90m',
      'agent-pool': 'my-pool', 'agent-cpu': '4', 'subscription-id': '00000000-aaaa-4bbb-8ccc-000000000001', 'resource-group': 'rg_(one).x',
      'arm-endpoint': 'https://management.local.azurestack.external/',
    }));
    expect(i).toEqual({
      context: 'app', file: 'app/Build.Dockerfile', target: 'runtime',
      buildArgs: { A: '1', B: 'two words', EMPTY: '' }, secretBuildArgs: { TOKEN: 's3cr3t with spaces' },
      platforms: ['linux/amd64', 'linux/arm64/v8'], noCache: true, push: false, timeoutSeconds: 5400,
      agentPool: 'my-pool', agentCpu: 4, subscriptionId: '00000000-aaaa-4bbb-8ccc-000000000001', resourceGroup: 'rg_(one).x',
      armEndpoint: 'https://management.local.azurestack.external',
    });
  });

  test.each([
    ['300', 300], ['5m', 300], ['2h', 7200], ['8h', 28_800], ['28800s', 28_800],
  ])('timeout %s → %d s', (timeout, seconds) => {
    expect(readBuildInputs(reader({ timeout })).timeoutSeconds).toBe(seconds);
  });

  test.each([
    [{ 'build-args': 'A=1\nnot a pair' }, /input "build-args": "not a pair" is not accepted: line 2 is not KEY=VALUE: expected one KEY=VALUE a line/],
    [{ 'build-args': '1A=x' }, /input "build-args": "1A" is not accepted: expected argument names/],
    [{ 'build-args': 'A=1\nA=2' }, /input "build-args": A is given twice \(lines 1 and 2\)/],
    [{ 'build-args': 'A=1', 'secret-build-args': 'A=2' }, /input "secret-build-args": A is also in build-args/],
    [{ platforms: 'linux/amd64,darwin/arm64' }, /input "platforms": "darwin\/arm64" is not accepted: expected os\/arch\[\/variant\]/],
    [{ platforms: 'linux/arm64/v9' }, /input "platforms": "linux\/arm64\/v9"/],
    [{ push: 'yes' }, /input "push": "yes" is not accepted: expected true, false/],
    [{ 'no-cache': '1' }, /input "no-cache": "1" is not accepted/],
    [{ timeout: '60' }, /input "timeout": "60" is not accepted: expected seconds \(or 10m, 2h\) from 300 \(5m\) to 28800 \(8h\)/],
    [{ timeout: '9h' }, /input "timeout": "9h"/],
    [{ timeout: 'soon' }, /input "timeout": "soon"/],
    [{ 'agent-cpu': '0' }, /input "agent-cpu": "0" is not accepted: expected a positive whole number/],
    [{ 'agent-cpu': '1.5' }, /input "agent-cpu": "1.5"/],
    [{ 'agent-pool': 'a' }, /input "agent-pool": "a" is not accepted/],
    [{ 'subscription-id': 'my-sub' }, /input "subscription-id": "my-sub" is not accepted: expected a subscription id \(a GUID\)/],
    [{ 'resource-group': 'ends.' }, /input "resource-group": "ends\." is not accepted/],
    [{ 'arm-endpoint': 'http://management.azure.com' }, /input "arm-endpoint": "http:\/\/management.azure.com" is not accepted: expected an https:\/\/ URL/],
    [{ 'arm-endpoint': 'https://x/?a=b' }, /input "arm-endpoint"/],
    [{ target: 'two words' }, /input "target": "two words" is not accepted: expected a build stage name/],
  ])('refuses %j', (values, message) => {
    const err = (() => { try { readBuildInputs(reader(values)); } catch (e) { return e; } return undefined; })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(message);
  });

  test('errors about secret-build-args never show a value', () => {
    for (const text of ['TOKEN=hunter2-value\nhunter3-line', 'TOKEN=hunter2-value\n9BAD=hunter3-line', 'TOKEN=hunter2-value\nTOKEN=hunter3-line']) {
      let message = '';
      try { readBuildInputs(reader({ 'secret-build-args': text })); } catch (e) { message = (e as Error).message; }
      expect(message).toMatch(/^input "secret-build-args"/);
      expect(message).not.toMatch(/hunter/);
    }
  });

  test('secretBuildArgValues gives every value to mask, even from bad input', () => {
    expect(secretBuildArgValues('A= one \nbad line\nB=two\nC=\n#D=x\nE=one')).toEqual(['one', 'two']);
  });
});

describe('build state', () => {
  test('records runs as they come and hands post only unfinished builds', () => {
    const store = new Map<string, string>();
    const io = { saveState: (k: string, v: string) => store.set(k, v), getState: (k: string) => store.get(k) ?? '' };
    expect(unfinishedBuild(io)).toBeUndefined();
    const rec = buildRunRecorder(io, { armEndpoint: 'https://arm' });
    rec.add('/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r', 'cb1');
    rec.add('/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r', 'cb1');
    rec.add('/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r', 'cb2');
    expect(unfinishedBuild(io)).toEqual({ registryId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r', runIds: ['cb1', 'cb2'], armEndpoint: 'https://arm' });
    rec.finished();
    expect(unfinishedBuild(io)).toBeUndefined();
  });
});

describe('build summary', () => {
  test.each([[0, '0s'], [42_400, '42s'], [65_000, '1m 05s'], [3_720_000, '1h 02m']])('formatDuration(%d) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('a table of the run, then images grouped by digest with their tags', () => {
    const md = buildSummaryMarkdown({
      registry: 'r.azurecr.io', runId: 'ca1', status: 'Succeeded', durationMs: 65_000, platforms: ['linux/amd64'],
      images: [
        { registry: 'r.azurecr.io', repository: 'app', tag: 'v1', digest: 'sha256:aa' },
        { registry: 'r.azurecr.io', repository: 'app', tag: 'latest', digest: 'sha256:aa' },
      ],
    });
    expect(md).toContain('| `ca1` | ✅ Succeeded | 1m 05s | linux/amd64 |');
    expect(md).toContain('| r.azurecr.io/app | `v1` `latest` | `sha256:aa` |');
  });

  test('a failure shows ACR\'s message and no image table', () => {
    const md = buildSummaryMarkdown({ registry: 'r', runId: 'ca2', status: 'Failed', durationMs: 1000, platforms: ['linux/arm64'], images: [], error: 'failed | exit status 1' });
    expect(md).toContain('| `ca2` | ❌ Failed |');
    expect(md).toContain('> failed \\| exit status 1');
    expect(md).not.toContain('| Image |');
  });
});
