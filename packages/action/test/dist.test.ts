/**
 * The Action runs from the committed dist/: it must be exactly what the sources build (CI checks the
 * same with git diff), stay under 1 MB per bundle, and load on Node 20 (and 24 when installed).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { DIST, node24Path } from './support/run-action';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

describe('dist/', () => {
  test('is what build.mjs makes from the sources, each bundle under 1 MB', async () => {
    const out = await mkdtemp(join(tmpdir(), 'acrkit-dist-'));
    dirs.push(out);
    await run(process.execPath, [join(DIST, '../packages/action/build.mjs')], { env: { ...process.env, ACRKIT_DIST_DIR: out } });
    expect((await readdir(out)).sort()).toEqual((await readdir(DIST)).sort());
    for (const name of await readdir(out)) {
      expect((await readFile(join(out, name))).equals(await readFile(join(DIST, name))), `dist/${name} is stale: run npm run build`).toBe(true);
    }
    for (const name of ['main.cjs', 'post.cjs']) expect((await stat(join(DIST, name))).size).toBeLessThan(1024 * 1024);
  }, 120_000);

  test.each([['node 20', process.execPath], ['node 24', node24Path()]])('post with no state is a no-op under %s', async (_label, node) => {
    if (!node) return;
    const { stdout, stderr } = await run(node, [join(DIST, 'post.cjs')], { env: { PATH: process.env.PATH } });
    expect(stdout + stderr).toBe('');
  });
});
