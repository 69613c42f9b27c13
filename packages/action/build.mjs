/* global console, process */
// Bundles the Action's entry points into the committed repository-root dist/: one minified CommonJS
// file per entry, for Node 20 and 24 (action.yml says node24; older self-hosted runners still run 20).
// CI rebuilds and fails when dist/ differs from what is committed, so the output must be deterministic.
import { build } from 'esbuild';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// One slim undici for the core's transport and @actions/http-client (see packages/core/slim-undici.mjs).
import { slimUndici } from '../core/slim-undici-plugin.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// ACRKIT_DIST_DIR builds elsewhere (the test that checks dist/ is what the sources build).
const outdir = process.env.ACRKIT_DIST_DIR || join(here, '..', '..', 'dist');
const MAX_BYTES = 1024 * 1024;

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  // cloud-build.cjs holds the ACR Tasks code (Azure Storage SDK, context packing); main and post load it
  // only for `command: build`, so login, push and tag stay small.
  entryPoints: {
    main: join(here, 'src/main.ts'),
    post: join(here, 'src/post.ts'),
    'cloud-build': join(here, 'src/build/cloud-build-chunk.ts'),
  },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'external',
  logLevel: 'warning',
  plugins: [slimUndici],
  // @azure/storage-common's ESM build calls createRequire(import.meta.url), which CJS output lacks.
  define: { 'import.meta.url': '__acrkitModuleUrl' },
  banner: { js: 'var __acrkitModuleUrl=require("url").pathToFileURL(__filename).href;' },
  // Optional native speed-ups some dependencies try to load; none is needed.
  external: ['bufferutil', 'utf-8-validate'],
});
for (const name of ['main.cjs', 'post.cjs', 'cloud-build.cjs']) {
  const { size } = await stat(join(outdir, name));
  if (size > MAX_BYTES) throw new Error(`dist/${name} is ${size} bytes, over the ${MAX_BYTES}-byte budget`);
  console.log(`dist/${name}: ${(size / 1024).toFixed(0)} KiB`);
}
