/**
 * The secret harness's registry (see secret-harness.ts): which secrets exist in this worker and what was
 * captured during the current test. Free of vitest so that rig code can import it: the rig and the ARM
 * stand-in call `registerSecrets` as they hand secrets out, test helpers call `captureText`/`captureFile`
 * for what a process wrote to files (GITHUB_OUTPUT, the job summary, VS Code logs). Outside a vitest run
 * with the harness (the rig CLI, the dev rig) every call here is a cheap no-op and nothing is kept.
 */
import { readFileSync } from 'node:fs';
import { SecretIndex } from './secret-index';
import type { SecretSpec } from './secret-scan';

/** One secret in one captured text; names the secret by index and kind, never by value. */
export interface Leak {
  label: string;
  secretIndex: number;
  kind: string;
  form: 'plain' | 'encoded';
}

/** Per-test capture is scanned early (and trimmed to its tails) past this many characters. */
const EARLY_SCAN_CHARS = 64 * 1024 * 1024;
/** What an early scan keeps of each text: longer than any form of any rig secret. */
const TAIL_CHARS = 64 * 1024;

interface HarnessState {
  index: SecretIndex;
  texts: Map<string, string[]>;
  chars: number;
  /** Leaks found by early scans of this test's capture. */
  early: Leak[];
  /** Why this test may show secrets in its capture (allowSecretsInCapture). */
  allowed?: string;
  /** > 0 inside withoutCapture. */
  suspended: number;
}

const KEY = Symbol.for('acrkit.secret-harness');
type Global = typeof globalThis & { [KEY]?: HarnessState };

function state(): HarnessState | undefined {
  return (globalThis as Global)[KEY];
}

/** Called by the harness in each test file: starts registering and capturing with empty state. */
export function activateHarness(): void {
  (globalThis as Global)[KEY] = { index: new SecretIndex(), texts: new Map(), chars: 0, early: [], suspended: 0 };
}

/** Whether the harness is on in this process. */
export function harnessActive(): boolean {
  return state() !== undefined;
}

/**
 * Declares secrets that must not appear in anything captured (`kind` names them in failure messages).
 * A user/password pair also covers its Basic encodings. Secrets under 6 characters are ignored: they
 * cannot be scanned for without false hits. Returns the secrets' indexes (as failure messages name them).
 */
export function registerSecrets(kind: string, ...secrets: Array<SecretSpec | undefined>): number[] {
  const s = state();
  if (!s) return [];
  const indexes: number[] = [];
  for (const secret of secrets) {
    if (secret === undefined) continue;
    const value = typeof secret === 'string' ? secret : secret.password;
    if (value.length >= 6) indexes.push(s.index.add(secret, kind));
  }
  return indexes;
}

/** Adds `text` to what the current test captured under `label` (a child's stderr, "GITHUB_OUTPUT"). */
export function captureText(label: string, text: string): void {
  const s = state();
  if (!s || text.length === 0) return;
  const list = s.texts.get(label);
  if (list) list.push(text);
  else s.texts.set(label, [text]);
  s.chars += text.length;
  if (s.chars > EARLY_SCAN_CHARS) scanEarly(s);
}

/** Captures a file's current content (missing files capture nothing). Read now: temp dirs go away. */
export function captureFile(label: string, path: string): void {
  if (!state()) return;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  captureText(label, text);
}

/**
 * Lets the current test's capture hold secrets without failing. For tests whose subject is printing a
 * secret; `reason` says why. Every use is listed in the harness's header.
 */
export function allowSecretsInCapture(reason: string): void {
  const s = state();
  if (s) s.allowed = reason;
}

/** Why the current test may show secrets, if it said so. */
export function allowedReason(): string | undefined {
  return state()?.allowed;
}

/**
 * Runs `fn` (synchronously) with child-process capture off: for private channels that carry secrets by
 * design, such as the rig CLI's `--json` line that hands a rig's credentials to its parent.
 */
export function withoutCapture<T>(fn: () => T): T {
  const s = state();
  if (!s) return fn();
  s.suspended++;
  try {
    return fn();
  } finally {
    s.suspended--;
  }
}

/** Whether capture is suspended (read by the child-process patch). */
export function captureSuspended(): boolean {
  return (state()?.suspended ?? 0) > 0;
}

/**
 * The Actions runner consumes `::add-mask::VALUE` lines (it then masks VALUE everywhere), so they never
 * reach a log: they are the one place a step's stdout names a secret on purpose.
 */
function withoutMaskCommands(text: string): string {
  return text.includes('::add-mask::') ? text.replace(/^::add-mask::.*$/gm, '') : text;
}

function scanTexts(s: HarnessState, texts: Iterable<[string, string]>): Leak[] {
  const leaks: Leak[] = [];
  if (s.index.size === 0) return leaks;
  for (const [label, text] of texts) {
    for (const hit of s.index.scan(withoutMaskCommands(text))) {
      leaks.push({ label, secretIndex: hit.secretIndex, kind: s.index.kind(hit.secretIndex), form: hit.form });
    }
  }
  return leaks;
}

function scanEarly(s: HarnessState): void {
  s.early.push(...scanTexts(s, [...s.texts].map(([label, chunks]) => [label, chunks.join('')] as [string, string])));
  for (const [label, chunks] of s.texts) s.texts.set(label, [chunks.join('').slice(-TAIL_CHARS)]);
  s.chars = [...s.texts.values()].reduce((n, [t]) => n + t!.length, 0);
}

/**
 * Scans everything captured since the last call, plus `extra` texts (the test's errors), against every
 * registered secret, then clears the capture and the test's opt-out. Each (label, secret) is reported once.
 */
export function takeLeaks(extra: Array<[label: string, text: string]> = []): Leak[] {
  const s = state();
  if (!s) return [];
  const texts = [...s.texts].map(([label, chunks]) => [label, chunks.join('')] as [string, string]);
  const all = [...s.early, ...scanTexts(s, [...texts, ...extra])];
  s.texts.clear();
  s.chars = 0;
  s.early = [];
  s.allowed = undefined;
  const seen = new Set<string>();
  return all.filter((l) => {
    const key = `${l.label}\u0000${l.secretIndex}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Labels may be built from command lines or paths; one that holds a secret is not repeated. */
export function safeLabel(label: string): string {
  const s = state();
  return s && s.index.scan(label).length > 0 ? '[label withheld: it holds a secret]' : label;
}
