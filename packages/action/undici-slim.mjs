// The part of undici that acrkit and @actions/http-client use (fetch, Agent, ProxyAgent,
// EnvHttpProxyAgent). Bundling undici's index pulls in mocks, caches, websockets and a SQLite store
// too (about 0.5 MB), which would put the Action's bundle over its 1 MB budget. build.mjs points
// every `undici` import at this file. The fetch wrapper mirrors undici's index.js.
import Agent from 'undici/lib/dispatcher/agent.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import webFetch from 'undici/lib/web/fetch/index.js';

export { Agent, EnvHttpProxyAgent, ProxyAgent };

/** undici's fetch with its own dispatcher support (Node's global fetch takes no undici Agent of another version). */
export function fetch(init, options) {
  return webFetch.fetch(init, options).catch((err) => {
    if (err && typeof err === 'object') Error.captureStackTrace(err, fetch);
    throw err;
  });
}
