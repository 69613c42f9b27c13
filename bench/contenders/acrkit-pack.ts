/**
 * Contender: acrkit's build-context packer (what `az acr build`-style cloud builds upload), writing the
 * .tar.gz to a file. Args: --context DIR --out FILE
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { packBuildContext } from '@acrkit/core/build/pack-context';
import { parseArgs } from './layout-reader';

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['context', 'out']);
  const packed = await packBuildContext({ contextDir: a.context! });
  await pipeline(packed.stream, createWriteStream(a.out!, { highWaterMark: 1 << 20 }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
