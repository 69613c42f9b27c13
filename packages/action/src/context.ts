/**
 * The only caller of `core.getInput`: reads every input once, masks the secrets at once, and returns
 * the validated, typed Inputs. Bad input throws InputError before anything touches the network.
 */
import * as core from '@actions/core';
import { readBuildInputs, secretBuildArgValues, type BuildInputs } from './build/build-inputs';
import { readInputs, type Inputs } from './inputs';

/** Masks a secret in the log from now on (and its base64 form, which Docker configs hold). */
export function mask(secret: string | undefined): void {
  if (!secret) return;
  core.setSecret(secret);
}

/** Reads and validates the inputs of this step. */
export function getInputs(): Inputs {
  // Mask before validating: a validation error must not echo a secret either.
  mask(core.getInput('client-secret'));
  mask(core.getInput('password'));
  return readInputs((name) => core.getInput(name), process.env);
}

/** Reads and validates the inputs of `command: build`, masking every secret build argument first. */
export function getBuildInputs(): BuildInputs {
  // Mask before validating: an error about a bad line must not show a secret either.
  for (const value of secretBuildArgValues(core.getInput('secret-build-args'))) mask(value);
  return readBuildInputs((name) => core.getInput(name));
}
