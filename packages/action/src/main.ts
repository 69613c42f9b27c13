/**
 * The Action's main step: read inputs, run the command, publish outputs, state and summary.
 * The only caller of `core.setFailed`; every error is caught here, once.
 */
import './wasm-tiering';
import * as core from '@actions/core';
import { runCommand } from './commands/run-command';
import { getInputs, mask } from './context';
import { readGithubContext } from './github-context';
import { actionLogger } from './log';
import { saveLoginState } from './state';
import { summaryMarkdown } from './summary';

async function main(): Promise<void> {
  // The runner sends SIGINT then SIGTERM on cancellation: abort in-flight work so nothing is half tagged.
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => abort.abort(new Error(`cancelled (${sig})`)));
  }
  try {
    const inputs = getInputs();
    const result = await runCommand({
      inputs, github: readGithubContext(), logger: actionLogger(), signal: abort.signal, mask, env: process.env, now: new Date(),
      getIdToken: (audience) => core.getIDToken(audience),
    });
    if (result.login) saveLoginState(result.login, inputs.logout);
    for (const [name, value] of Object.entries(result.env ?? {})) core.exportVariable(name, value);
    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    if (result.summary && process.env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(summaryMarkdown(inputs.command, result.summary)).write();
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Some layers turn an abort into their own error ("operation was aborted"): say why it happened.
    const reason = abort.signal.aborted ? (abort.signal.reason as Error).message : undefined;
    core.setFailed(reason && !message.includes(reason) ? `${reason}: ${message}` : message);
  } finally {
    process.removeAllListeners('SIGINT').removeAllListeners('SIGTERM');
  }
}

void main();
