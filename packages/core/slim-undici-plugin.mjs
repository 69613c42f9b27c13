/* global URL */
// An esbuild plugin that points every `undici` import at slim-undici.mjs (why: see that file), and undici's
// HTTP/2 client at a stub (slim-undici-no-h2.cjs).
// Used by every bundle that carries the core: the Action, the extension and the benchmark contenders.
import { fileURLToPath } from 'node:url';

const slim = fileURLToPath(new URL('./slim-undici.mjs', import.meta.url));
const noH2 = fileURLToPath(new URL('./slim-undici-no-h2.cjs', import.meta.url));

export const slimUndici = {
  name: 'slim-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: slim }));
    // undici's HTTP/2 client (and node:http2 with it) is never used: see slim-undici-no-h2.cjs.
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) => (/[\\/]undici[\\/]lib[\\/]dispatcher$/.test(args.resolveDir) ? { path: noH2 } : undefined));
  },
};
