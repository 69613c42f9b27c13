/**
 * Bundles the TypeScript contenders into single CommonJS files under bench/out/contenders, so each
 * measured run is a plain `node file.cjs`: no TypeScript loader in the timing, as for skopeo's binary.
 */
import { build } from 'esbuild';
// @ts-expect-error: a plain .mjs build helper without types
import { slimUndici } from '../../packages/core/slim-undici-plugin.mjs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(BENCH_DIR, '..');
export const OUT_DIR = join(BENCH_DIR, 'out');

/** Bundles `bench/contenders/<name>.ts` and returns the path of the `.cjs` to run with node. */
export async function bundleContender(name: string): Promise<string> {
  const outfile = join(OUT_DIR, 'contenders', `${name}.cjs`);
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(BENCH_DIR, 'contenders', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    // The Azure SDK and undici carry optional requires that are fine to leave unresolved.
    mainFields: ['main', 'module'],
    // As the Action and the extension ship it: undici's dispatcher API only.
    plugins: [slimUndici],
  });
  return outfile;
}
