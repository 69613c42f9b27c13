/** Maps the core's Logger onto the runner's log: info/debug/warning/error lines and collapsible groups. */
import * as core from '@actions/core';
import type { Logger } from '@acrkit/core/log';

/** The Logger the commands get. Groups do not nest on the runner, so an inner group is a plain line. */
export function actionLogger(): Logger {
  let depth = 0;
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
    error: (m) => core.error(m),
    async group(name, fn) {
      if (depth > 0) {
        core.info(name);
        return fn();
      }
      depth++;
      core.startGroup(name);
      try {
        return await fn();
      } finally {
        core.endGroup();
        depth--;
      }
    },
  };
}
