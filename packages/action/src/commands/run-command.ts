/** Dispatches `command` to its implementation. */
import type { Command } from '../inputs';
import { buildCommand } from '../build/build-command';
import type { CommandDeps, CommandFunc, CommandResult } from './command';
import { loginCommand } from './login';
import { metaCommand } from './meta';
import { pushCommand } from './push';
import { tagCommand } from './tag';

const COMMANDS: Record<Command, CommandFunc> = {
  login: loginCommand,
  push: pushCommand,
  tag: tagCommand,
  meta: metaCommand,
  build: buildCommand,
};

/** Runs the command the inputs name. */
export function runCommand(deps: CommandDeps): Promise<CommandResult> {
  return COMMANDS[deps.inputs.command](deps);
}
