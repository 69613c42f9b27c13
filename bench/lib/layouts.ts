/**
 * Generated OCI layouts, cached across runs under the temp dir: the 1.5 GiB of images take about a
 * minute to generate, and they are deterministic, so a second `npm run bench` reuses them.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOciLayout, type GeneratedLayout, type GenerateOptions } from '../gen-oci-layout';

/** Bump when the generator's output changes, so stale cached layouts are not reused. */
const GENERATOR_VERSION = 1;

export const CACHE_DIR = join(tmpdir(), 'acrkit-bench-cache');

/** Returns a cached layout for these options, generating it first if needed. */
export async function cachedLayout(options: Omit<GenerateOptions, 'out'>): Promise<GeneratedLayout> {
  const o = { layers: 1, sizeBytes: 1 << 20, compress: 'gzip', gzipLevel: 1, seed: 'seed', tag: 'latest', ...options };
  const key = `v${GENERATOR_VERSION}-${o.seed}-${o.layers}x${o.sizeBytes}-${o.compress}${o.gzipLevel}-${o.tag}`;
  const out = join(CACHE_DIR, 'layouts', key);
  const marker = join(out, 'generated.json');
  if (existsSync(marker)) return JSON.parse(await readFile(marker, 'utf8')) as GeneratedLayout;
  await rm(out, { recursive: true, force: true });
  const layout = await generateOciLayout({ ...options, out });
  await writeFile(marker, JSON.stringify(layout));
  return layout;
}
