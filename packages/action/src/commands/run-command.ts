/**
 * Dispatches `command` to its implementation, loading only that command's code: `meta` needs tag
 * rules, not the registry client, Azure identity or the storage SDK, and every step pays the load
 * time of what it evaluates (esbuild turns these imports into lazily initialised parts of the bundle).
 */
import type { Command } from '../inputs';
import type { CommandDeps, CommandFunc, CommandResult } from './command';

const COMMANDS: Record<Command, () => Promise<CommandFunc>> = {
  login: async () => (await import('./login')).loginCommand,
  push: async () => (await import('./push')).pushCommand,
  tag: async () => (await import('./tag')).tagCommand,
  meta: async () => (await import('./meta')).metaCommand,
  build: async () => (await import('../build/build-command')).buildCommand,
};

/** Runs the command the inputs name. */
export async function runCommand(deps: CommandDeps): Promise<CommandResult> {
  const command = await COMMANDS[deps.inputs.command]();
  return command(deps);
}
