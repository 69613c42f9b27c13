import { describe, expect, test } from 'vitest';
import { LogWindow } from '../src/build/log-window';

/** Replays what the runner does with the lines: which ones it obeys as commands. */
function obeyed(lines: string[]): string[] {
  const out: string[] = [];
  let stopToken: string | undefined;
  for (const line of lines) {
    if (stopToken) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) stopToken = stop[1];
    else if (line.startsWith('::')) out.push(line);
  }
  return out;
}

describe('LogWindow', () => {
  test('build lines inside the window are never obeyed; our own commands still are', async () => {
    const lines: string[] = [];
    const w = new LogWindow((l) => lines.push(l));
    const logger = w.wrap({ info: (m) => lines.push(m), debug: (m) => lines.push(`::debug::${m}`), warn: (m) => lines.push(`::warning::${m}`), error: (m) => lines.push(`::error::${m}`), group: (_n, fn) => fn() });
    w.open();
    w.line('::add-mask::from-the-build');
    logger.warn('ours');
    w.line('::set-output name=x::evil');
    let release!: () => void;
    const token = w.commandAsync(() => new Promise<void>((r) => { lines.push('::add-mask::id-token'); release = r; }));
    w.line('::error::held back while the ID token is fetched');
    expect(lines.at(-1)).toBe('::add-mask::id-token');
    release();
    await token;
    expect(lines.at(-1)).toBe('::error::held back while the ID token is fetched');
    w.close();
    w.line('::warning::a late build line');
    logger.debug('after');
    expect(obeyed(lines)).toEqual(['::warning::ours', '::add-mask::id-token', '::debug::after']);
    expect(lines.filter((l) => !l.startsWith('::stop-commands::') && !/^::[0-9a-f-]{36}::$/.test(l))).toEqual([
      '::add-mask::from-the-build', '::warning::ours', '::set-output name=x::evil', '::add-mask::id-token',
      '::error::held back while the ID token is fetched', '::warning::a late build line', '::debug::after',
    ]);
  });

  test('tells the runner nothing until a build line comes', () => {
    const lines: string[] = [];
    const w = new LogWindow((l) => lines.push(l));
    const logger = w.wrap({ info: () => undefined, debug: (m) => lines.push(`::debug::${m}`), warn: () => undefined, error: () => undefined, group: (_n, fn) => fn() });
    w.open();
    logger.debug('one');
    logger.debug('two');
    w.close();
    expect(lines).toEqual(['::debug::one', '::debug::two']);
  });
});
