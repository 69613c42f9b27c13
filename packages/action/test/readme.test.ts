/**
 * The root README documents the Action from action.yml: every input and output is a row of the generated
 * tables, the tables are exactly what action.yml generates, and every command has a workflow example.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { betweenMarkers, inputsTable, parseActionYml, REPO_ROOT, withTables } from '../scripts/readme-tables';

const read = (path: string) => readFile(join(REPO_ROOT, path), 'utf8');

/** The names in the first column of a generated table (`| \`name\` | ...`). */
function tableNames(table: string | undefined): string[] {
  return [...(table ?? '').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1] as string);
}

/** The README's "## The GitHub Action" section. */
function actionSection(readme: string): string {
  const start = readme.indexOf('\n## The GitHub Action\n');
  expect(start, 'README.md has a "## The GitHub Action" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('README.md documents action.yml', () => {
  test('every input and every output of action.yml is a row of its table', async () => {
    const [yml, readme] = await Promise.all([read('action.yml'), read('README.md')]);
    const meta = parseActionYml(yml);
    // A cross-check of the strict parser with a plain scan of the two-space names.
    const scan = (s: string) => [...(yml.split(new RegExp(`^${s}:\\n`, 'm'))[1]?.split(/^\S/m)[0] ?? '').matchAll(/^ {2}([a-z0-9-]+):/gm)].map((m) => m[1]);
    expect(meta.inputs.map((f) => f.name)).toEqual(scan('inputs'));
    expect(meta.outputs.map((f) => f.name)).toEqual(scan('outputs'));
    expect(meta.inputs.length).toBeGreaterThan(20);

    const inputRows = tableNames(betweenMarkers(readme, 'inputs'));
    const outputRows = tableNames(betweenMarkers(readme, 'outputs'));
    const missing = [
      ...meta.inputs.filter((f) => !inputRows.includes(f.name)).map((f) => `input ${f.name}`),
      ...meta.outputs.filter((f) => !outputRows.includes(f.name)).map((f) => `output ${f.name}`),
    ];
    expect(missing, 'missing from the README tables (run npm run readme -w @acrkit/action)').toEqual([]);
    const extra = [...inputRows.filter((n) => !meta.inputs.some((f) => f.name === n)), ...outputRows.filter((n) => !meta.outputs.some((f) => f.name === n))];
    expect(extra, 'README rows that action.yml does not have').toEqual([]);
  });

  test('the tables are exactly what action.yml generates (descriptions and defaults included)', async () => {
    const [yml, readme] = await Promise.all([read('action.yml'), read('README.md')]);
    expect(withTables(readme, parseActionYml(yml)) === readme, 'README tables differ from action.yml: run npm run readme -w @acrkit/action').toBe(true);
  });

  test('every command has a workflow example, and the OIDC one asks for an ID token', async () => {
    const section = actionSection(await read('README.md'));
    const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    for (const command of ['push', 'tag', 'meta', 'build']) {
      expect(examples.some((e) => new RegExp(`^\\s+command: ${command}$`, 'm').test(e)), `an example with command: ${command}`).toBe(true);
    }
    const oidc = examples.find((e) => /client-id:/.test(e) && !/command:/.test(e));
    expect(oidc, 'a login example (no command input) with client-id').toBeDefined();
    expect(oidc).toMatch(/permissions:\n\s+id-token: write/);
    expect(examples.some((e) => /password: \$\{\{ secrets\./.test(e) && !/command:/.test(e)), 'a login example with username/password').toBe(true);
    // Every input used in an example exists.
    const names = new Set(parseActionYml(await read('action.yml')).inputs.map((f) => f.name));
    const withBlocks = examples.flatMap((e) => [...e.matchAll(/uses: acrkit\/acrkit@v1[^\n]*\n(?:\s+#[^\n]*\n)*\s+with:\s*\n((?:\s{10,}[^\n]*\n?)+)/g)].map((m) => m[1] as string));
    expect(withBlocks.length).toBeGreaterThanOrEqual(5);
    for (const block of withBlocks) {
      for (const m of block.matchAll(/^ {10}([a-z-]+):/gm)) expect(names.has(m[1] as string), `example input ${m[1]} is in action.yml`).toBe(true);
    }
  });

  test('the package README only points at the root README', async () => {
    const text = await read('packages/action/README.md');
    expect(text.trim().split('\n').length).toBeLessThanOrEqual(3);
    expect(text).toContain('../../README.md#the-github-action');
  });
});

describe('readme-tables', () => {
  const yml = [
    'name: x', 'inputs:', '  a-b:', '    description: "one | two <three>"', '    required: false', '    default: "x"',
    '  c:', "    description: 'it''s'", '    required: true', 'outputs:', '  o:', '    description: "out"', 'runs:', '  using: node24',
  ].join('\n');

  test('parses the shape of action.yml and renders safe table cells', () => {
    const meta = parseActionYml(yml);
    expect(meta).toEqual({
      inputs: [{ name: 'a-b', description: 'one | two <three>', required: false, default: 'x' }, { name: 'c', description: "it's", required: true }],
      outputs: [{ name: 'o', description: 'out', required: false }],
    });
    expect(inputsTable(meta.inputs).split('\n').slice(2)).toEqual(['| `a-b` | `x` | one \\| two &lt;three> |', "| `c` | required | it's |"]);
  });

  test('refuses what it cannot render faithfully', () => {
    expect(() => parseActionYml(yml.replace('"out"', '|\n      out'))).toThrow(/outputs/);
    expect(() => parseActionYml(yml.replace('    required: true', '    deprecationMessage: "x"'))).toThrow(/line 9/);
    expect(() => parseActionYml(yml.replace('"out"', '""'))).toThrow(/outputs.o has no description/);
  });

  test('replaces only the text between the markers, and needs both pairs', () => {
    const meta = parseActionYml(yml);
    const readme = '# t\n\n<!-- action-inputs:begin (generated from action.yml: npm run readme -w @acrkit/action) -->\nold\n<!-- action-inputs:end -->\nmid\n'
      + '<!-- action-outputs:begin (generated from action.yml: npm run readme -w @acrkit/action) -->\n<!-- action-outputs:end -->\ntail\n';
    const out = withTables(readme, meta);
    expect(out).not.toContain('old');
    expect(out.startsWith('# t\n\n<!-- action-inputs:begin')).toBe(true);
    expect(out).toContain('-->\n\n| output | description |\n| --- | --- |\n| `o` | out |\n\n<!-- action-outputs:end -->\ntail\n');
    expect(withTables(out, meta)).toBe(out);
    expect(() => withTables('# nothing', meta)).toThrow(/inputs markers/);
  });
});
