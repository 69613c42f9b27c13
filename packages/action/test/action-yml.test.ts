/** action.yml documents exactly the inputs the code reads and the outputs it sets, kebab-case. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DIST } from './support/run-action';

const ROOT = join(DIST, '..');

/** Top-level keys of a section of action.yml (two-space indented names). */
function sectionKeys(yml: string, section: string): string[] {
  const body = yml.split(new RegExp(`^${section}:\\n`, 'm'))[1]?.split(/^\S/m)[0] ?? '';
  return [...body.matchAll(/^ {2}([a-z0-9-]+):/gm)].map((m) => m[1] as string);
}

async function sources(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) text += await sources(path);
    else if (entry.name.endsWith('.ts')) text += await readFile(path, 'utf8');
  }
  return text;
}

describe('action.yml', () => {
  test('declares node24 with main and post bundles', async () => {
    const yml = await readFile(join(ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/runs:\n {2}using: node24\n {2}main: dist\/main.cjs\n {2}post: dist\/post.cjs/);
  });

  test('every input read and every output set is documented, and nothing else', async () => {
    const yml = await readFile(join(ROOT, 'action.yml'), 'utf8');
    const src = await sources(join(ROOT, 'packages/action/src'));
    // read('x'), core.getInput('x'), and helpers called as helper(read, 'x', ...).
    const read = new Set([...src.matchAll(/\b(?:read|getInput)\('([a-z0-9-]+)'|\(read, '([a-z0-9-]+)'/g)].map((m) => m[1] ?? m[2]));
    const set = new Set([...src.matchAll(/(?:^|[{,]\s*)'?([a-z][a-z0-9-]*)'?: /gm)].map((m) => m[1]));
    const inputs = sectionKeys(yml, 'inputs');
    const outputs = sectionKeys(yml, 'outputs');
    expect(new Set(inputs)).toEqual(read);
    for (const o of outputs) expect(set.has(o), `output ${o} is never set`).toBe(true);
    for (const name of [...inputs, ...outputs]) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const name of inputs) expect(yml).toMatch(new RegExp(`\\n {2}${name}:\\n {4}description: "[^"]{10,}`));
  });
});
