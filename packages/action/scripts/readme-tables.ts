/**
 * The README's input and output tables, generated from action.yml so that they cannot drift from it.
 * `npm run readme -w @acrkit/action` rewrites the text between the `action-inputs` / `action-outputs`
 * markers of the root README.md; `--check` only reports whether it would change anything (the test
 * packages/action/test/readme.test.ts does the same).
 *
 * action.yml is read by a deliberately strict parser of the one shape it has (two-space names, four-space
 * `description` / `required` / `default`): anything else is an error, so a new YAML feature in action.yml
 * is noticed here instead of being rendered wrongly. No YAML library: the Action has no use for one.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One input or output of action.yml. */
export interface ActionField {
  name: string;
  description: string;
  required: boolean;
  /** Undefined when action.yml gives no default (outputs never have one). */
  default?: string;
}

export interface ActionMetadata {
  inputs: ActionField[];
  outputs: ActionField[];
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A YAML scalar as action.yml writes them: "double-quoted" (JSON escapes), 'single-quoted' or plain. */
function scalar(raw: string, where: string): string {
  const v = raw.trim();
  if (v.startsWith('"')) {
    try {
      return JSON.parse(v) as string;
    } catch {
      throw new Error(`action.yml ${where}: ${v} is not a one-line double-quoted string`);
    }
  }
  if (v.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(v)) throw new Error(`action.yml ${where}: ${v} is not a one-line single-quoted string`);
    return v.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[|>]/.test(v) || v.includes(' #')) throw new Error(`action.yml ${where}: block scalars and comments are not supported here`);
  return v;
}

/** The fields of the `inputs:` or `outputs:` section. Throws on any line of another shape. */
function section(yml: string, name: 'inputs' | 'outputs'): ActionField[] {
  const lines = yml.split(/\r?\n/);
  const start = lines.indexOf(`${name}:`);
  if (start < 0) throw new Error(`action.yml has no ${name}: section`);
  const fields: ActionField[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\S/.test(line)) break;
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    const field = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    const prop = /^ {4}(description|required|default):\s?(.*)$/.exec(line);
    if (field) fields.push({ name: field[1] as string, description: '', required: false });
    else if (prop && fields.length > 0) {
      const current = fields[fields.length - 1] as ActionField;
      const value = scalar(prop[2] as string, `${name}.${current.name}.${prop[1]}`);
      if (prop[1] === 'description') current.description = value;
      else if (prop[1] === 'required') current.required = value === 'true';
      else current.default = value;
    } else throw new Error(`action.yml line ${i + 1} (${name}): cannot read ${JSON.stringify(line)}`);
  }
  for (const f of fields) if (!f.description) throw new Error(`action.yml ${name}.${f.name} has no description`);
  return fields;
}

/** Reads the inputs and outputs of action.yml text. */
export function parseActionYml(yml: string): ActionMetadata {
  return { inputs: section(yml, 'inputs'), outputs: section(yml, 'outputs') };
}

/** Text safe in a GFM table cell: pipes escaped, `<` not taken for HTML, no line breaks. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\s*\n\s*/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/\|/g, '\\|')}\``;
}

/** The inputs table: name, default (or "required"), description as in action.yml. */
export function inputsTable(inputs: readonly ActionField[]): string {
  const rows = inputs.map((f) => `| ${code(f.name)} | ${f.required ? 'required' : f.default !== undefined && f.default !== '' ? code(f.default) : ''} | ${cell(f.description)} |`);
  return ['| input | default | description |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The outputs table: name, description as in action.yml. */
export function outputsTable(outputs: readonly ActionField[]): string {
  const rows = outputs.map((f) => `| ${code(f.name)} | ${cell(f.description)} |`);
  return ['| output | description |', '| --- | --- |', ...rows].join('\n');
}

/** Markers around the generated tables in README.md. */
export const MARKERS = {
  inputs: ['<!-- action-inputs:begin (generated from action.yml: npm run readme -w @acrkit/action) -->', '<!-- action-inputs:end -->'],
  outputs: ['<!-- action-outputs:begin (generated from action.yml: npm run readme -w @acrkit/action) -->', '<!-- action-outputs:end -->'],
} as const;

/** The text between a pair of markers, or undefined when the README lacks them. */
export function betweenMarkers(readme: string, which: keyof typeof MARKERS): string | undefined {
  const [begin, end] = MARKERS[which];
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end, a + begin.length);
  return a < 0 || b < 0 ? undefined : readme.slice(a + begin.length, b).trim();
}

/** `readme` with both tables replaced by what action.yml says. Throws when a marker pair is missing. */
export function withTables(readme: string, meta: ActionMetadata): string {
  let text = readme;
  for (const [which, table] of [['inputs', inputsTable(meta.inputs)], ['outputs', outputsTable(meta.outputs)]] as const) {
    const [begin, end] = MARKERS[which];
    const a = text.indexOf(begin);
    const b = text.indexOf(end, a + begin.length);
    if (a < 0 || b < 0) throw new Error(`README.md lacks the ${which} markers ${begin} … ${end}`);
    text = `${text.slice(0, a + begin.length)}\n\n${table}\n\n${text.slice(b)}`;
  }
  return text;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const meta = parseActionYml(await readFile(join(REPO_ROOT, 'action.yml'), 'utf8'));
  const path = join(REPO_ROOT, 'README.md');
  const readme = await readFile(path, 'utf8');
  const next = withTables(readme, meta);
  if (next === readme) return console.log('README.md tables match action.yml');
  if (check) {
    console.error('README.md tables differ from action.yml: run npm run readme -w @acrkit/action');
    process.exitCode = 1;
    return;
  }
  await writeFile(path, next);
  console.log(`README.md tables rewritten (${meta.inputs.length} inputs, ${meta.outputs.length} outputs)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
