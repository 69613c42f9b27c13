// The part of undici that acrkit and @actions/http-client use: Agent, ProxyAgent, EnvHttpProxyAgent and
// the dispatcher API (agent.request; core's transport does not use undici's fetch). Bundling undici's
// index pulls in fetch, mocks, caches, websockets and a SQLite store too (about 0.8 MB): over the
// Action's 1 MB budget, and code every process start would load. Bundlers point every `undici` import
// at this file through slim-undici-plugin.mjs (the Action, the extension, the bench contenders).
import Agent from 'undici/lib/dispatcher/agent.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';

// As undici's index.js does: dispatcher.request/stream/pipeline/connect/upgrade come from lib/api
// (core's transport sends every request through agent.request).
Object.assign(Dispatcher.prototype, api);

export { Agent, EnvHttpProxyAgent, ProxyAgent };

