/**
 * The core's only way to say anything. Hosts map it: the Action onto `core.info/debug/group`, the
 * extension onto a `LogOutputChannel`. Silent by default so that library use prints nothing.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Runs `fn` inside a named, collapsible section (a log group in the Action). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  group: (_name, fn) => fn(),
};
