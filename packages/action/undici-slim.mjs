// The part of undici that acrkit and @actions/http-client use: fetch, Agent, ProxyAgent,
// EnvHttpProxyAgent and the dispatcher API (agent.request). Bundling undici's index pulls in mocks,
// caches, websockets and a SQLite store too (about 0.5 MB), which would put the Action's bundle over
// its 1 MB budget. build.mjs points every `undici` import at this file. This mirrors undici's index.js.
import Agent from 'undici/lib/dispatcher/agent.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import webFetch from 'undici/lib/web/fetch/index.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';

// As undici's index.js does: dispatcher.request/stream/pipeline/connect/upgrade come from lib/api
// (core's fetch transport streams blob uploads through agent.request).
Object.assign(Dispatcher.prototype, api);

export { Agent, EnvHttpProxyAgent, ProxyAgent };

/** undici's fetch with its own dispatcher support (Node's global fetch takes no undici Agent of another version). */
export function fetch(init, options) {
  return webFetch.fetch(init, options).catch((err) => {
    if (err && typeof err === 'object') Error.captureStackTrace(err, fetch);
    throw err;
  });
}
