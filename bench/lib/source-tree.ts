/**
 * A deterministic source tree for the context-packing scenario: code-like text files (compressible),
 * binary assets (incompressible), and what a .dockerignore usually drops (node_modules, .git, dist,
 * logs). Written once per machine under the temp dir and reused.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CACHE_DIR } from './layouts';

export interface TreeShape {
  packages: number;
  modulesPerPackage: number;
  filesPerModule: number;
  /** Mean text file size; sizes spread from 1/8 to 2× of it. */
  meanTextBytes: number;
  assets: number;
  assetBytes: number;
  nodeModulesFiles: number;
  gitObjects: number;
  distFiles: number;
}

/** About 200 MB in about 16,000 files, about 150 MB of it kept by the .dockerignore. */
export const FULL_TREE: TreeShape = {
  packages: 100, modulesPerPackage: 10, filesPerModule: 12, meanTextBytes: 8 * 1024,
  assets: 120, assetBytes: 400 * 1024, nodeModulesFiles: 3000, gitObjects: 500, distFiles: 200,
};
export const QUICK_TREE: TreeShape = {
  packages: 4, modulesPerPackage: 3, filesPerModule: 5, meanTextBytes: 4 * 1024,
  assets: 3, assetBytes: 64 * 1024, nodeModulesFiles: 20, gitObjects: 5, distFiles: 4,
};

/** The same exclusions in the two syntaxes (Docker's .dockerignore, GNU tar's --exclude-from). */
export const DOCKERIGNORE = 'node_modules\n.git\ndist\n**/*.log\n';
export const TAR_EXCLUDES = './node_modules\n./.git\n./dist\n*.log\n';

export interface SourceTree {
  dir: string;
  tarExcludeFile: string;
  files: number;
  totalBytes: number;
  /** Files and bytes the ignore rules keep. */
  keptFiles: number;
  keptBytes: number;
}

/** A small seeded PRNG (mulberry32): fast, and identical on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 4 MiB of code-like text from a vocabulary of random identifiers: compresses about as source does. */
function textCorpus(rand: () => number): Buffer {
  const words = Array.from({ length: 3000 }, () => Array.from({ length: 3 + Math.floor(rand() * 9) }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join(''));
  const keywords = ['const', 'return', 'export', 'function', 'import', 'if', 'await', 'new', 'this', 'type'];
  const parts: string[] = [];
  let size = 0;
  while (size < 4 << 20) {
    const indent = '  '.repeat(Math.floor(rand() * 4));
    const n = 2 + Math.floor(rand() * 8);
    const line = `${indent}${keywords[Math.floor(rand() * keywords.length)]} ${Array.from({ length: n }, () => words[Math.floor(rand() ** 2 * words.length)]).join(rand() < 0.3 ? '.' : ' ')}${rand() < 0.5 ? ';' : ' {'}\n`;
    parts.push(line);
    size += line.length;
  }
  return Buffer.from(parts.join(''));
}

function randomBytes(seed: string, n: number): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

/** Writes (or reuses) the tree for `shape`; returns where it is and what the ignore rules keep. */
export async function cachedSourceTree(name: string, shape: TreeShape): Promise<SourceTree> {
  const root = join(CACHE_DIR, 'trees', `v1-${name}`);
  const marker = join(root, 'tree.json');
  if (existsSync(marker)) return JSON.parse(await readFile(marker, 'utf8')) as SourceTree;
  await rm(root, { recursive: true, force: true });
  const dir = join(root, 'context');
  const rand = prng(42);
  const corpus = textCorpus(rand);
  const files: Array<{ path: string; data: Buffer; kept: boolean }> = [];
  const text = (mean: number) => {
    const len = Math.max(64, Math.floor(mean / 8 + rand() * mean * 1.875));
    const at = Math.floor(rand() * (corpus.length - len));
    return corpus.subarray(at, at + len);
  };
  files.push({ path: 'Dockerfile', data: Buffer.from('FROM scratch\nCOPY . /app\n'), kept: true });
  files.push({ path: '.dockerignore', data: Buffer.from(DOCKERIGNORE), kept: true });
  for (let p = 0; p < shape.packages; p++) {
    files.push({ path: `src/pkg${p}/debug.log`, data: text(32 * 1024), kept: false });
    for (let m = 0; m < shape.modulesPerPackage; m++) {
      for (let f = 0; f < shape.filesPerModule; f++) files.push({ path: `src/pkg${p}/mod${m}/file${f}.ts`, data: text(shape.meanTextBytes), kept: true });
    }
  }
  for (let i = 0; i < shape.assets; i++) files.push({ path: `assets/img${i}.bin`, data: randomBytes(`asset${i}`, shape.assetBytes), kept: true });
  for (let i = 0; i < shape.nodeModulesFiles; i++) files.push({ path: `node_modules/lib${i % 97}/f${i}.js`, data: text(10 * 1024), kept: false });
  for (let i = 0; i < shape.gitObjects; i++) files.push({ path: `.git/objects/${(i % 256).toString(16).padStart(2, '0')}/o${i}`, data: randomBytes(`git${i}`, 40 * 1024), kept: false });
  for (let i = 0; i < shape.distFiles; i++) files.push({ path: `dist/chunk${i}.js`, data: text(20 * 1024), kept: false });
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(files.slice(i, i + 64).map(async (f) => {
      await mkdir(dirname(join(dir, f.path)), { recursive: true });
      await writeFile(join(dir, f.path), f.data);
    }));
  }
  const tarExcludeFile = join(root, 'tar-excludes');
  await writeFile(tarExcludeFile, TAR_EXCLUDES);
  const kept = files.filter((f) => f.kept);
  const tree: SourceTree = {
    dir,
    tarExcludeFile,
    files: files.length,
    totalBytes: files.reduce((s, f) => s + f.data.length, 0),
    keptFiles: kept.length,
    keptBytes: kept.reduce((s, f) => s + f.data.length, 0),
  };
  await writeFile(marker, JSON.stringify(tree));
  return tree;
}
