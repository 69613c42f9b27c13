/**
 * Ceiling: how fast Node hashes a file with sha256, reading 1 MiB chunks (push-perf.md: the default
 * 64 KiB chunks cost about 35 %). Args: --file PATH. Prints the digest.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parseArgs } from './layout-reader';

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['file']);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(a.file!, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  console.log(`sha256:${hash.digest('hex')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
