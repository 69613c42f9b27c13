/**
 * The Action's post step: cancel ACR runs a cancelled `build` left going, and undo the login unless
 * `logout: false`. Never fails the job for cleanup.
 */
import './wasm-tiering';
import * as core from '@actions/core';
import { cancelUnfinishedBuild } from './build/post-cancel';
import { undoDockerLogin } from './docker-config';
import { readPostState } from './state';

async function post(): Promise<void> {
  await cancelUnfinishedBuild();
  const state = readPostState();
  if (!state.login) return;
  if (!state.logout) {
    core.info(`logout: false, keeping the credentials for ${state.login.host} in ${state.login.file}`);
    return;
  }
  try {
    const outcome = await undoDockerLogin(state.login);
    const what: Record<typeof outcome, string> = {
      removed: `removed the credentials for ${state.login.host} from ${state.login.file}`,
      restored: `restored the previous credentials for ${state.login.host} in ${state.login.file}`,
      changed: `left ${state.login.host} in ${state.login.file} alone: it was changed after login`,
      missing: `nothing to remove for ${state.login.host}: ${state.login.file} no longer holds it`,
    };
    core.info(what[outcome]);
  } catch (err) {
    core.warning(`logout from ${state.login.host} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

void post();
