/** `meta` from the built bundle: event payload → tags, labels, annotations, json; no network at all. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ActionRunner } from './support/run-action';

let work: string;
beforeAll(async () => { work = await mkdtemp(join(tmpdir(), 'acrkit-action-meta-')); });
afterAll(async () => { await rm(work, { recursive: true, force: true }); });

const repository = { default_branch: 'main', html_url: 'https://github.com/Octo/Hello', description: 'Says hello', license: { spdx_id: 'Apache-2.0' } };

describe('meta (bundled)', () => {
  test('pull request: pr tag, head SHA when asked, labels from the payload, created from SOURCE_DATE_EPOCH', async () => {
    const r = new ActionRunner({
      workDir: join(work, 'pr'),
      event: { number: 17, pull_request: { number: 17, head: { sha: 'abcdef1234567890abcdef1234567890abcdef12' }, base: { ref: 'main' } }, repository },
      env: {
        GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/17/merge', GITHUB_SHA: '9999999999999999999999999999999999999999',
        GITHUB_REPOSITORY: 'Octo/Hello', SOURCE_DATE_EPOCH: '1700000000',
      },
    });
    const step = await r.main({ command: 'meta', registry: 'MyReg.azurecr.io', image: 'Octo/Hello', 'pr-head-sha': 'true', labels: 'org.opencontainers.image.vendor=Octo' });
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.outputs.tags).toBe('myreg.azurecr.io/octo/hello:pr-17\nmyreg.azurecr.io/octo/hello:sha-abcdef1');
    expect(step.outputs.version).toBe('pr-17');
    expect(step.outputs.labels!.split('\n')).toEqual([
      'org.opencontainers.image.created=2023-11-14T22:13:20.000Z',
      'org.opencontainers.image.description=Says hello',
      'org.opencontainers.image.licenses=Apache-2.0',
      'org.opencontainers.image.revision=9999999999999999999999999999999999999999',
      'org.opencontainers.image.source=https://github.com/Octo/Hello',
      'org.opencontainers.image.title=Hello',
      'org.opencontainers.image.url=https://github.com/Octo/Hello',
      'org.opencontainers.image.vendor=Octo',
      'org.opencontainers.image.version=pr-17',
    ]);
    expect(step.outputs.annotations!.split('\n')[0]).toBe('manifest:org.opencontainers.image.created=2023-11-14T22:13:20.000Z');
    expect(JSON.parse(step.outputs.json as string).tags).toHaveLength(2);
    expect(step.summary).toContain('| myreg.azurecr.io/octo/hello | `pr-17` `sha-abcdef1` |');
    expect(step.state).toEqual({});
  });

  test('a bad rule fails naming the line; a bad SOURCE_DATE_EPOCH names the variable', async () => {
    const r = new ActionRunner({ workDir: join(work, 'bad'), env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: '1'.repeat(40) } });
    const rule = await r.main({ command: 'meta', image: 'app', tags: 'type=sha\ntype=ref,event=push' });
    expect(rule.code).toBe(1);
    expect(rule.stdout).toMatch(/::error::input "tags": tags line 2: event=push is not accepted; expected one of branch, tag, pr/);
    const epoch = await r.main({ command: 'push', registry: '127.0.0.1:9', image: 'app', source: 'oci-layout:/x' }, { env: { SOURCE_DATE_EPOCH: 'yesterday' } });
    expect(epoch.code).toBe(1);
    expect(epoch.stdout).toMatch(/SOURCE_DATE_EPOCH="yesterday" is not accepted/);
  });
});
