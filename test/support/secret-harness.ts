/**
 * The secret harness (issue 7, "a test that runs every end-to-end test with known secrets and scans
 * everything captured"). A vitest `setupFiles` entry, so every test of `npm test` runs under it, new
 * ones included, without asking. In each test file it:
 *  - keeps the registry of known secrets (secret-registry.ts): the rig and the ARM stand-in register every
 *    password, client secret, issued token (ACR refresh/access, Entra, GitHub ID), the managed identity
 *    header and every SAS signature as they hand them out; `expectNoSecrets` registers what it is given;
 *    tests may call `registerSecrets` for their own;
 *  - captures what the test could show anyone (output-capture.ts): every child's stdout and stderr, the
 *    console, process.stdout/stderr, plus files helpers hand over with `captureFile` (the Action's
 *    GITHUB_OUTPUT/STATE/ENV/STEP_SUMMARY, the VS Code e2e's output-channel logs);
 *  - after each test, scans that capture and the test's own errors for every registered secret in every
 *    form `secretForms` knows (plain, base64, base64url, percent-encoded, Basic pairs) and fails the test
 *    naming the captured text and the secret's index and kind, never the secret. Output from `beforeAll`
 *    counts towards the first test; what is printed after the last test is scanned in `afterAll`
 *    (concurrent tests in one file share a capture: a hit is still found, maybe charged to a neighbour).
 * Files a test only reads (the Docker config holding `auth`) are not captured: they show nobody anything.
 * Known exceptions, each narrow: `::add-mask::` lines (the runner consumes them; see secret-registry.ts);
 * two private channels started `withoutCapture`: the rig CLI's `--json` line read by rig-process.ts, and the
 * ARM stand-in's build steps (run-agent.ts: the user's build output, which prints secret build arguments
 * when the Dockerfile does, as on ACR; acrkit's masked copy of it is captured). No test uses
 * `allowSecretsInCapture`.
 */
import { afterAll, afterEach } from 'vitest';
import { installOutputCapture } from './output-capture';
import { activateHarness, allowedReason, takeLeaks, type Leak } from './secret-registry';

export { allowSecretsInCapture, captureFile, captureText, registerSecrets } from './secret-registry';

/** The failure message: where and which secret (index, kind, form), never the value. */
export function describeLeaks(leaks: readonly Leak[]): string {
  const where = leaks.map((l) => `"${l.label}" holds secret #${l.secretIndex} (${l.kind}, ${l.form})`).join('; ');
  return `secret harness: ${leaks.length} secret(s) in captured output: ${where}`;
}

/**
 * The test's own errors as vitest recorded them (what its report prints): message, stack, diff and the
 * compared values as they are, every other property (cause, serialized fields) as JSON.
 */
function errorTexts(errors: readonly unknown[] | undefined): Array<[string, string]> {
  return (errors ?? []).map((e, i) => {
    if (typeof e !== 'object' || e === null) return [`test error #${i}`, String(e)];
    const { message, stack, diff, expected, actual, ...rest } = e as Record<string, unknown>;
    const parts = [message, stack, diff, expected, actual].filter((p) => typeof p === 'string');
    return [`test error #${i}`, [...parts, JSON.stringify(rest) ?? ''].join('\n')];
  });
}

/** Scans the capture (plus `errors`) and throws when it holds a secret, unless the test opted out. */
export function checkCapture(errors?: readonly unknown[]): void {
  const allowed = allowedReason();
  const leaks = takeLeaks(errorTexts(errors));
  if (leaks.length > 0 && allowed === undefined) throw new Error(describeLeaks(leaks));
}

activateHarness();
installOutputCapture();
afterEach(({ task }) => checkCapture(task.result?.errors));
afterAll(() => checkCapture());
