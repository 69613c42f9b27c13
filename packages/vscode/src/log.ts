/** The core's Logger on a VS Code LogOutputChannel ("Container Registries" in the Output view). */
import * as vscode from 'vscode';
import type { Logger } from '@acrkit/core/log';

export function createOutputLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    async group(name, fn) {
      channel.info(`▶ ${name}`);
      try {
        return await fn();
      } finally {
        channel.info(`◀ ${name}`);
      }
    },
  };
}
