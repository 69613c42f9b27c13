/**
 * The post step's typed state. The main step saves it with `core.saveState` (the GITHUB_STATE file);
 * the runner hands it to the post step as `STATE_*` variables. It never holds a secret.
 */
import * as core from '@actions/core';
import type { LoginRecord } from './docker-config';

export interface PostState {
  /** What the login wrote; undefined when main did not log in. */
  login?: LoginRecord;
  /** `logout` input as main read it. */
  logout: boolean;
}

/** Saves what post needs to undo the login. */
export function saveLoginState(login: LoginRecord, logout: boolean): void {
  core.saveState('login', JSON.stringify(login));
  core.saveState('logout', String(logout));
}

/** Reads the state main saved (empty when main failed early). */
export function readPostState(): PostState {
  const login = core.getState('login');
  return { login: login ? (JSON.parse(login) as LoginRecord) : undefined, logout: core.getState('logout') !== 'false' };
}
