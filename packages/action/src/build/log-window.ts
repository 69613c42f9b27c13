/**
 * Prints a build's log lines without letting the runner obey them. A build log may hold lines that look
 * like workflow commands (`::set-output`, `::add-mask::`, `::error::`); while the window is open they
 * are suspended with `::stop-commands::<token>`. The Action's own commands in that time (a mask for a
 * refreshed token, a warning, a debug line, a fresh GitHub ID token) close the window around them, so
 * they still work; build lines arriving meanwhile are held back and follow once it is open again.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@acrkit/core/log';

/** The window over a raw line writer (core.info in the Action). */
export class LogWindow {
  private wanted = false;
  private token: string | undefined;
  /** Commands running (sync or async); the window is shut while any is. */
  private commands = 0;
  private held: string[] = [];
  constructor(private readonly write: (line: string) => void) {}

  /** Suspends workflow commands in what `line` prints, until `close` (the runner is told at the first line). */
  open(): void {
    this.wanted = true;
  }

  close(): void {
    this.wanted = false;
    this.sync();
  }

  /** A build log line, shown as is and never obeyed. */
  line(text: string): void {
    if (this.commands > 0) {
      this.held.push(text);
      return;
    }
    this.stop();
    this.write(text);
    if (!this.wanted) this.resume();
  }

  /** Runs `fn`, which issues workflow commands, with commands enabled. */
  command(fn: () => void): void {
    this.commands++;
    this.sync();
    try {
      fn();
    } finally {
      this.commands--;
      this.sync();
    }
  }

  /** Runs async `fn` (core.getIDToken masks what it gets) with commands enabled. */
  async commandAsync<T>(fn: () => Promise<T>): Promise<T> {
    this.commands++;
    this.sync();
    try {
      return await fn();
    } finally {
      this.commands--;
      this.sync();
    }
  }

  /** `logger` with its command-issuing methods (debug, warn, error) passed through `command`. */
  wrap(logger: Logger): Logger {
    return {
      info: (m) => logger.info(m),
      debug: (m) => this.command(() => logger.debug(m)),
      warn: (m) => this.command(() => logger.warn(m)),
      error: (m) => this.command(() => logger.error(m)),
      group: (name, fn) => logger.group(name, fn),
    };
  }

  /** Resumes commands while one runs or the window is closed; then prints held lines, shielded. */
  private sync(): void {
    if (this.commands > 0 || !this.wanted) this.resume();
    if (this.commands === 0 && this.held.length) {
      this.stop();
      this.held.splice(0).forEach((l) => this.write(l));
      if (!this.wanted) this.resume();
    }
  }

  private stop(): void {
    if (this.token) return;
    this.token = randomUUID();
    this.write(`::stop-commands::${this.token}`);
  }

  private resume(): void {
    if (!this.token) return;
    this.write(`::${this.token}::`);
    this.token = undefined;
  }
}
