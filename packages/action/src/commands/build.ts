/**
 * `command: build`: cloud builds on ACR Tasks (issue 4). The place is kept so the dispatch, inputs and
 * outputs stay stable; the build core lands separately.
 */
import type { CommandFunc } from './command';

export const buildCommand: CommandFunc = async () => {
  throw new Error('command "build" is not available in this version of the action; use login, push, tag or meta');
};
