/* global URL */
// An esbuild plugin that points every `undici` import at slim-undici.mjs (why: see that file).
// Used by every bundle that carries the core: the Action, the extension and the benchmark contenders.
import { fileURLToPath } from 'node:url';

const slim = fileURLToPath(new URL('./slim-undici.mjs', import.meta.url));

export const slimUndici = {
  name: 'slim-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: slim }));
  },
};
