import { describe, expect, test } from 'vitest';
import { BuildOptionError, createBuildRequests, normalizeImageName, parsePlatform } from '../../src/acr/tasks/build-request';

const base = { imageNames: ['app:v1'], dockerFilePath: 'Dockerfile', sourceLocation: 'source/x.tar.gz' };

describe('createBuildRequests', () => {
  test('maps every option onto a DockerBuildRequest (secret arguments flagged)', () => {
    const [only] = createBuildRequests({
      ...base, imageNames: ['myreg.azurecr.io/app:v1', 'app:sha-abc1234'], loginServer: 'myreg.azurecr.io',
      noCache: true, target: 'final', buildArgs: { A: '1' }, secretBuildArgs: { TOKEN: 's' },
      timeoutSeconds: 600, agentPoolName: 'pool', agentCpu: 4,
    });
    expect(only!.request).toEqual({
      type: 'DockerBuildRequest', imageNames: ['app:v1', 'app:sha-abc1234'], isPushEnabled: true, noCache: true,
      dockerFilePath: 'Dockerfile', target: 'final',
      arguments: [
        { type: 'DockerBuildArgument', name: 'A', value: '1', isSecret: false },
        { type: 'DockerBuildArgument', name: 'TOKEN', value: 's', isSecret: true },
      ],
      timeout: 600, platform: { os: 'Linux', architecture: 'amd64' }, agentConfiguration: { cpu: 4 }, agentPoolName: 'pool',
      sourceLocation: 'source/x.tar.gz', isArchiveEnabled: false,
    });
  });

  test('one request per platform, pushing per-platform tags', () => {
    const requests = createBuildRequests({ ...base, imageNames: ['app:v1', 'team/app'], platforms: ['linux/amd64', 'linux/arm/v7'] });
    expect(requests.map((r) => r.request.imageNames)).toEqual([['app:v1-linux-amd64', 'team/app:linux-amd64'], ['app:v1-linux-arm-v7', 'team/app:linux-arm-v7']]);
    expect(requests[1]!.request.platform).toEqual({ os: 'Linux', architecture: 'arm', variant: 'v7' });
  });

  test.each([
    [{ timeoutSeconds: 299 }, /timeout 299/],
    [{ timeoutSeconds: 28_801 }, /timeout/],
    [{ agentCpu: 0 }, /agent cpu/],
    [{ platforms: ['linux'] }, /platform "linux"/],
    [{ platforms: ['darwin/amd64'] }, /platform/],
    [{ platforms: ['linux/amd64/v9'] }, /platform/],
    [{ imageNames: ['App:v1'] }, /image name "App:v1"/],
    [{ imageNames: [] }, /at least one image name/],
    [{ buildArgs: { 'BAD-NAME': 'x' } }, /build argument name "BAD-NAME"/],
  ])('refuses %j with a BuildOptionError naming the input', (extra, message) => {
    let error: unknown;
    try {
      createBuildRequests({ ...base, ...extra });
    } catch (err) {
      error = err;
    }
    expect(BuildOptionError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  test('no image names are fine without push', () => {
    expect(createBuildRequests({ ...base, imageNames: [], push: false })[0]!.request.isPushEnabled).toBe(false);
  });
});

describe('parsePlatform and normalizeImageName', () => {
  test('accepts the spellings ACR knows', () => {
    expect(parsePlatform('windows/amd64')).toEqual({ os: 'Windows', architecture: 'amd64' });
    expect(parsePlatform(' linux/arm64/v8 ')).toEqual({ os: 'Linux', architecture: 'arm64', variant: 'v8' });
  });
  test('drops only the registry\'s own login server', () => {
    expect(normalizeImageName('127.0.0.1:5000/a/b:c', '127.0.0.1:5000')).toBe('a/b:c');
    expect(() => normalizeImageName('other.io/a:b', 'myreg.azurecr.io')).toThrow(BuildOptionError);
    expect(() => normalizeImageName('localhost/a:b', 'myreg.azurecr.io')).toThrow(BuildOptionError);
    expect(() => normalizeImageName('127.0.0.1:5000/a:b')).toThrow(BuildOptionError);
    expect(normalizeImageName('team/app:v1', 'myreg.azurecr.io')).toBe('team/app:v1');
  });
});
