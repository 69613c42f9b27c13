/**
 * `command: build` on the runner: reads the build inputs (context.ts masks the secret ones first), then hands `runBuild` a host made of
 * `@actions/core` (log lines, state, outputs, annotations, summary).
 */
import * as core from '@actions/core';
import type { CommandFunc } from '../commands/command';
import { getBuildInputs } from '../context';
import { loadCloudBuild } from './load-cloud-build';
import { runBuild, type BuildHost } from './run-build';

const host: BuildHost = {
  writeLine: (line) => core.info(line),
  saveState: (name, value) => core.saveState(name, value),
  setOutput: (name, value) => core.setOutput(name, value),
  errorAnnotation: (message, title) => core.error(message, { title }),
  async writeSummary(markdown) {
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
  },
  loadCloudBuild,
};

export const buildCommand: CommandFunc = async (deps) => {
  // context.ts stays the only reader of inputs; it masks the secret build arguments first.
  return runBuild(deps, getBuildInputs(), host);
};
