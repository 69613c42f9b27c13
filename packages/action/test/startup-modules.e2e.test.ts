/**
 * What an Action step loads of Node itself (issue 6, Action start): a push and a tag, run from the
 * built bundle against a bare Distribution, must not load node:http2 (undici's HTTP/2 client is left
 * out of the bundle) nor Node's own copy of undici (behind the global Response and Headers, with
 * zlib, perf_hooks and worker_threads): together ~45 ms of a 210 ms step in the bench profile. Run
 * under Node 20 and, when installed, Node 24 (action.yml's runtime).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBareRegistryJob } from './support/bare-registry-job';
import { ActionRunner, node24Path, pushEvent } from './support/run-action';

const job = useBareRegistryJob('startup-e2e');
/** Preloaded into each step: writes the built-in modules the process loaded to $MODULES_OUT at exit. */
const hook = () => join(job.work, 'modules-hook.cjs');
beforeAll(async () => {
  await writeFile(hook(), "process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.join('\\n')));\n");
});

describe.each([['node 20', process.execPath], ['node 24', node24Path()]])('an Action step under %s', (label, node) => {
  test.skipIf(!node)('push and tag load neither node:http2 nor Node\'s own undici', async () => {
    const r = new ActionRunner({ workDir: join(job.work, label.replace(' ', '')), node, env: pushEvent('refs/heads/main', '1234567890abcdef1234567890abcdef12345678') });
    const common = { username: 'anyone', password: 'not-checked', registry: job.registry.loginServer, 'insecure-registries': job.registry.loginServer };
    const steps = [
      { command: 'push', image: 'startup', source: `oci-layout:${job.layout.dir}:built`, tags: 'v1' },
      { command: 'tag', image: 'startup-promoted', source: `${job.registry.loginServer}/startup:v1`, tags: 'stable' },
    ];
    for (const [i, inputs] of steps.entries()) {
      const out = join(job.work, `${label.replace(' ', '')}-modules-${i}.txt`);
      const step = await r.main({ ...common, ...inputs }, { env: { NODE_OPTIONS: `--require ${hook()}`, MODULES_OUT: out } });
      expect(step.code, step.stdout + step.stderr).toBe(0);
      const loaded = (await readFile(out, 'utf8')).split('\n');
      expect(loaded, 'the hook saw the network modules load').toContain('NativeModule tls');
      expect(loaded.filter((m) => /^NativeModule (http2|internal\/deps\/undici\/undici)$/.test(m)), inputs.command).toEqual([]);
    }
  });
});
