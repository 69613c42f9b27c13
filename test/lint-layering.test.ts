/**
 * The layering rule of eslint.config.mjs, checked with ESLint's Node API on in-memory snippets placed
 * at virtual paths in each package: core never imports vscode or @actions/*, the Action never imports
 * vscode, the extension never imports @actions/*. Each forbidden case has an allowed twin, so a rule
 * that fires on everything fails here as surely as one that fires on nothing.
 */
import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let eslint: ESLint;

/** The no-restricted-imports messages ESLint reports for `code` placed at `path` (relative to the root). */
async function layeringErrors(path: string, code: string): Promise<string[]> {
  const results = await eslint.lintText(`${code}\nexport const used = 1;\n`, { filePath: join(root, path) });
  expect(results).toHaveLength(1);
  const result = results[0]!;
  // An ignored path yields a warning and no rules; that would make every "allowed" case pass vacuously.
  expect(result.messages.filter((m) => m.ruleId === null && m.severity === 1)).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

const coreFiles = ['packages/core/src/registry/__layering__.ts', 'packages/core/test/__layering__.test.ts'];

describe('packages/core is host-free', () => {
  test.each(coreFiles.flatMap((path) => [
    [path, `import * as vscode from 'vscode'; void vscode;`],
    [path, `import type { Uri } from 'vscode'; export type U = Uri;`],
    [path, `import * as core from '@actions/core'; void core;`],
    [path, `import { Context } from '@actions/github/lib/context'; void Context;`],
    [path, `export { getInput } from '@actions/core';`],
    [path, `import { x } from '@acrkit/action/main'; void x;`],
    [path, `import { y } from 'acrkit-vscode/extension'; void y;`],
  ]))('%s: %s is refused', async (path, code) => {
    const errors = await layeringErrors(path, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/host-free/);
  });

  test.each(coreFiles)('%s may import undici, @azure/* and its own layers', async (path) => {
    const code = `import { fetch } from 'undici'; import { ContainerRegistryClient } from '@azure/container-registry';
      import { parseReference } from '../ref/reference'; void fetch; void ContainerRegistryClient; void parseReference;`;
    expect(await layeringErrors(path, code)).toEqual([]);
  });
});

describe('packages/action never sees the extension', () => {
  const path = 'packages/action/src/__layering__.ts';

  test.each([
    `import * as vscode from 'vscode'; void vscode;`,
    `import { activate } from 'acrkit-vscode/extension'; void activate;`,
  ])('%s is refused', async (code) => {
    expect(await layeringErrors(path, code)).toHaveLength(1);
  });

  test('@actions/* and @acrkit/core are allowed', async () => {
    const code = `import * as core from '@actions/core'; import { parseReference } from '@acrkit/core/ref/reference';
      void core; void parseReference;`;
    expect(await layeringErrors(path, code)).toEqual([]);
  });
});

describe('packages/vscode never sees the Action', () => {
  const path = 'packages/vscode/src/__layering__.ts';

  test.each([
    `import * as core from '@actions/core'; void core;`,
    `import { exec } from '@actions/exec'; void exec;`,
    `import { run } from '@acrkit/action/main'; void run;`,
  ])('%s is refused', async (code) => {
    expect(await layeringErrors(path, code)).toHaveLength(1);
  });

  test('vscode and @acrkit/core are allowed', async () => {
    const code = `import * as vscode from 'vscode'; import { parseReference } from '@acrkit/core/ref/reference';
      void vscode; void parseReference;`;
    expect(await layeringErrors(path, code)).toEqual([]);
  });
});
