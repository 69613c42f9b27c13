/**
 * What the post step needs to cancel a cloud build that main could not cancel (main killed, or it died
 * with runs still going). Saved the moment ACR hands out a run id, so a kill one line later still leaves
 * it behind. Holds ids and endpoints only, never a secret.
 */
export interface BuildRunState {
  /** The registry's ARM id. */
  registryId: string;
  runIds: string[];
  armEndpoint: string;
  armAudience?: string;
}

/** State keys (the runner hands them to post as `STATE_<key>`). */
export const BUILD_RUN_STATE = 'build-run';
export const BUILD_FINISHED_STATE = 'build-finished';

/** Where state goes (core.saveState / core.getState in the Action). */
export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

/** Records runs as they are scheduled; `finished()` once every run reached a terminal status. */
export function buildRunRecorder(store: Pick<StateStore, 'saveState'>, endpoint: { armEndpoint: string; armAudience?: string }) {
  const state: BuildRunState = { registryId: '', runIds: [], ...endpoint };
  return {
    add(registryId: string, runId: string): void {
      if (state.runIds.includes(runId)) return;
      state.registryId = registryId;
      state.runIds.push(runId);
      // The state file is append-only and the last value of a key wins, so each save supersedes the last.
      store.saveState(BUILD_RUN_STATE, JSON.stringify(state));
    },
    finished(): void {
      store.saveState(BUILD_FINISHED_STATE, 'true');
    },
  };
}

/** The runs main left going, or undefined when there are none to look after. */
export function unfinishedBuild(store: Pick<StateStore, 'getState'>): BuildRunState | undefined {
  const raw = store.getState(BUILD_RUN_STATE);
  if (!raw || store.getState(BUILD_FINISHED_STATE) === 'true') return undefined;
  const state = JSON.parse(raw) as BuildRunState;
  return state.registryId && state.runIds.length ? state : undefined;
}
