/* global module */
'use strict'
// Stands in for undici/lib/dispatcher/client-h2.js in acrkit's bundles (slim-undici-plugin.mjs). undici's
// Client loads that file, and with it node:http2, at startup, but calls it only when TLS negotiated h2,
// which its connector offers only with `allowH2: true`; acrkit's dispatchers leave it off (http/1.1 only,
// as registries serve blobs). Leaving http2 out saves every process start ~13 ms (bench profile).
module.exports = function connectH2 () {
  throw new Error('HTTP/2 was negotiated, but this build of undici has none (allowH2 must stay off)')
}
