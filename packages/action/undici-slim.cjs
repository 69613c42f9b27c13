// The part of undici that acrkit and @actions/http-client use (fetch, Agent, ProxyAgent,
// EnvHttpProxyAgent). Bundling undici's index pulls in mocks, caches, websockets and a SQLite store
// too (about 0.5 MB), which would put the Action's bundle over its 1 MB budget. build.mjs aliases
// every `undici` import to this file. The fetch wrapper mirrors undici's index.js.
'use strict';
const { fetch: fetchImpl } = require('undici/lib/web/fetch');

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent'),
  EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent'),
  fetch: function fetch(init, options) {
    return fetchImpl(init, options).catch((err) => {
      if (err && typeof err === 'object') Error.captureStackTrace(err, fetch);
      throw err;
    });
  },
};
