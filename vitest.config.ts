import { defineConfig } from 'vitest/config';

// One runner for the whole repository. Tests against the local rig (real Distribution registry
// behind the ACR stand-in) are part of the default run, as the project's rules require.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'packages/vscode/test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: rig-backed files each start their own registry, so keep the pool small.
    maxWorkers: 2,
    // Creates the rig CA once and exports NODE_EXTRA_CA_CERTS for the workers (test/support/global-setup.ts).
    globalSetup: ['./test/support/global-setup.ts'],
    // Every test runs under the secret harness: its output is scanned for every secret the rig handed out.
    setupFiles: ['./test/support/secret-harness.ts'],
    reporters: ['default', './test/support/count-reporter.ts'],
  },
});
