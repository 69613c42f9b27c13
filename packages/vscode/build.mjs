/* global process */
// Bundles the extension (dist/extension.cjs) and, with --tests, the extension-host test suite
// (dist/test/suite.cjs). CJS for Node, `vscode` provided by the host. --production minifies, no sourcemap.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
// The core's transport needs only undici's dispatcher API (see packages/core/slim-undici.mjs).
import { slimUndici } from '../core/slim-undici-plugin.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  absWorkingDir: root,
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [slimUndici],
  // Prefer the packages' CommonJS builds; ESM ones that read import.meta.url (storage-common, open) get
  // the bundle's own file URL, since a CJS bundle has no import.meta.
  mainFields: ['main', 'module'],
  define: { 'import.meta.url': '__acrkitImportMetaUrl' },
  banner: { js: "const __acrkitImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

rmSync(`${root}/dist`, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.cjs', metafile: false });
if (tests) {
  await build({ ...common, entryPoints: ['test/e2e/suite.ts'], outfile: 'dist/test/suite.cjs', external: ['vscode', 'mocha'] });
}
