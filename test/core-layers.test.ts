/**
 * The folder order inside packages/core (README "Architecture"): a folder imports only folders below
 * it. ESLint keeps hosts out of core (lint-layering.test.ts); this keeps the layers inside it, by
 * reading every relative import of packages/core/src.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'core', 'src');

/** Height of each layer; a file may import only from lower layers (and its own folder). */
const LAYERS: Record<string, number> = {
  'log.ts': 0,
  ref: 1,
  oci: 1,
  tags: 1,
  http: 2,
  auth: 3,
  sources: 4,
  registry: 5,
  build: 6,
  acr: 7,
};

/** The layer a path below src/ belongs to: its top folder, or the file itself at the top. */
function layerOf(pathInSrc: string): string {
  return pathInSrc.split('/')[0]!;
}

/** Every relative import specifier in `text` (static imports, re-exports and dynamic imports). */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) found.push(match[1]!);
  return found;
}

/** `importer imports target` for every import that goes up or sideways. */
function violations(files: Array<{ path: string; text: string }>): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = layerOf(file.path);
    for (const specifier of relativeImports(file.text)) {
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
      const to = layerOf(target.endsWith('log') && !target.includes('/') ? 'log.ts' : target);
      if (to === from) continue;
      const [a, b] = [LAYERS[from], LAYERS[to]];
      if (a === undefined || b === undefined || b >= a) out.push(`${file.path} imports ${specifier} (${from} -> ${to})`);
    }
  }
  return out;
}

function sourceFiles(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const full = join(entry.parentPath, entry.name);
      return { path: relative(src, full).split(sep).join('/'), text: readFileSync(full, 'utf8') };
    });
}

describe('packages/core layers', () => {
  test('every top-level folder of src/ has a layer', () => {
    const tops = new Set(sourceFiles(src).map((f) => layerOf(f.path)));
    expect([...tops].filter((top) => LAYERS[top] === undefined)).toEqual([]);
  });

  test('no file imports a folder at its own height or above', () => {
    const files = sourceFiles(src);
    expect(files.length).toBeGreaterThan(50);
    expect(violations(files)).toEqual([]);
  });

  test('the check sees upward, sideways and dynamic imports', () => {
    const files = [
      { path: 'http/a.ts', text: `import { withAuth } from '../auth/auth-transport';` },
      { path: 'ref/b.ts', text: `export { MediaType } from '../oci/media-types';` },
      { path: 'registry/c.ts', text: `const m = await import('../acr/exchange');` },
      { path: 'acr/tasks/d.ts', text: `import { pack } from '../../build/pack-context';\nimport { log } from '../../log';\nimport { x } from './e';` },
    ];
    expect(violations(files)).toEqual([
      'http/a.ts imports ../auth/auth-transport (http -> auth)',
      'ref/b.ts imports ../oci/media-types (ref -> oci)',
      'registry/c.ts imports ../acr/exchange (registry -> acr)',
    ]);
  });
});
