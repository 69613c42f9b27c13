/**
 * Plain http as the runner runs it (issue 7), from the built bundle, against a bare Distribution on
 * loopback: a push goes over http only when the registry is named in insecure-registries; unnamed, the
 * https attempt fails and is not retried over http; a non-loopback http registry is refused up front.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { useBareRegistryJob } from './support/bare-registry-job';
import { ActionRunner, pushEvent } from './support/run-action';

const job = useBareRegistryJob('insecure-e2e');

const runner = (name: string) => new ActionRunner({
  workDir: join(job.work, name),
  event: { repository: { default_branch: 'main', html_url: 'https://github.com/acrkit/acrkit' } },
  env: pushEvent('refs/heads/main', '1234567890abcdef1234567890abcdef12345678'),
});
const auth = { username: 'anyone', password: 'not-checked-by-bare-registry' };
const catalog = async (): Promise<string[]> => ((await (await fetch(`http://${job.registry.loginServer}/v2/_catalog`)).json()) as { repositories: string[] }).repositories;

describe('insecure-registries', () => {
  test('a loopback http registry not named gets https only: the push fails and nothing arrives over http', async () => {
    const push = await runner('unnamed').main({ ...auth, command: 'push', registry: job.registry.loginServer, image: 'unnamed', source: `oci-layout:${job.layout.dir}:built`, tags: 'v1' });
    expect(push.code).not.toBe(0);
    expect(push.stdout + push.stderr).toContain(`https://${job.registry.loginServer}`);
    expect(push.stdout + push.stderr).not.toContain(`http://${job.registry.loginServer}`);
    expect(await catalog()).not.toContain('unnamed');
  });

  test('named in insecure-registries, login checks and push goes over plain http', async () => {
    const r = runner('named');
    const login = await r.main({ ...auth, registry: job.registry.loginServer, 'insecure-registries': `other.local,\n${job.registry.loginServer}`, 'docker-config': 'new' });
    expect(login.code, login.stdout + login.stderr).toBe(0);
    const push = await r.main({ ...auth, command: 'push', registry: job.registry.loginServer, 'insecure-registries': job.registry.loginServer, image: 'named', source: `oci-layout:${job.layout.dir}:built`, tags: 'v1' });
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(push.outputs.digest).toBe(job.layout.manifestDigest);
    const head = await fetch(`http://${job.registry.loginServer}/v2/named/manifests/v1`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect(head.headers.get('docker-content-digest')).toBe(job.layout.manifestDigest);

    // tag across repositories on the insecure registry: source and target both over http.
    const tag = await r.main({ ...auth, command: 'tag', registry: job.registry.loginServer, 'insecure-registries': job.registry.loginServer, image: 'promoted', source: `${job.registry.loginServer}/named:v1`, tags: 'stable' });
    expect(tag.code, tag.stdout + tag.stderr).toBe(0);
    expect(await catalog()).toEqual(expect.arrayContaining(['named', 'promoted']));
  });

  test('http:// for a non-loopback registry not named is refused before any network call', async () => {
    const push = await runner('refused').main({ ...auth, command: 'push', registry: 'http://registry.example.com', image: 'x', source: `oci-layout:${job.layout.dir}:built` });
    expect(push.code).not.toBe(0);
    expect(push.stdout + push.stderr).toMatch(/input "registry": "http:\/\/registry.example.com" is not accepted: plain http to registry.example.com needs it named in insecure-registries/);
  });

  test('a bad insecure-registries entry is refused with an error naming the input', async () => {
    const push = await runner('bad').main({ ...auth, command: 'push', registry: job.registry.loginServer, 'insecure-registries': `http://${job.registry.loginServer}`, image: 'x', source: `oci-layout:${job.layout.dir}:built` });
    expect(push.code).not.toBe(0);
    expect(push.stdout + push.stderr).toContain('input "insecure-registries"');
  });
});
