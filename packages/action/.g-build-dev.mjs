// Engineer G's temporary dev build (until the wiring lands in E's files); deleted afterwards.
import { build } from 'esbuild';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
const here = '/work/main/packages/action';
const outdir = process.env.OUT || '/tmp/gdev/dist';
const redirect = { name: 'g', setup(b) {
  b.onResolve({ filter: /^undici$/ }, () => ({ path: join(here, 'undici-slim.mjs') }));
  b.onResolve({ filter: /^\.\/build$/ }, (a) => a.importer.endsWith('run-command.ts') ? { path: join(here, 'src/build/build-command.ts') } : undefined);
} };
await rm(outdir, { recursive: true, force: true }); await mkdir(outdir, { recursive: true });

const common = { outdir, outExtension: { '.js': '.cjs' }, bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, legalComments: 'external', logLevel: 'warning', plugins: [redirect], external: ['bufferutil', 'utf-8-validate'] };
await build({ ...common, entryPoints: { 'cloud-build': join(here, 'src/build/cloud-build-chunk.ts') },
  define: { 'import.meta.url': '__acrkitModuleUrl' }, banner: { js: 'var __acrkitModuleUrl=require("url").pathToFileURL(__filename).href;' } });
await build({ entryPoints: { main: join(here, 'src/main.ts'), post: '/tmp/gdev/post-dev.ts' },
  outdir, outExtension: { '.js': '.cjs' }, bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, legalComments: 'external', logLevel: 'warning', plugins: [redirect], external: ['bufferutil', 'utf-8-validate'] });
for (const n of ['main.cjs', 'post.cjs', 'cloud-build.cjs']) console.log(n, (await stat(join(outdir, n))).size);
