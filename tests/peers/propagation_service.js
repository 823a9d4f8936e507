// A small instrumented HTTP service for `tracectl check-propagation` tests (Node).
//
// @opentelemetry/sdk-node with the HTTP instrumentation only, exporting OTLP/HTTP (the SDK reads
// OTEL_EXPORTER_OTLP_* as usual). On every request it calls $DOWNSTREAM_URL with http.get (the
// HTTP instrumentation injects the context), or with --fetch, with the global fetch, which the
// HTTP instrumentation does not cover (it needs @opentelemetry/instrumentation-undici).
// Usage: node propagation_service.js [--port N] [--fetch]; prints `listening on PORT`.
'use strict';

const { NodeSDK } = require('@opentelemetry/sdk-node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');

const args = process.argv.slice(2);
const port = Number(args.includes('--port') ? args[args.indexOf('--port') + 1] : 0);
const useFetch = args.includes('--fetch');

const sdk = new NodeSDK({ instrumentations: [new HttpInstrumentation()] });
sdk.start();

const http = require('http');

function callDownstream(done) {
  const url = process.env.DOWNSTREAM_URL;
  if (!url) return done();
  if (useFetch) {
    fetch(url).then((r) => r.text()).then(() => done(), () => done());
    return;
  }
  http.get(url, (res) => { res.resume(); res.on('end', done); }).on('error', () => done());
}

const server = http.createServer((req, res) => {
  if (req.url === '/ready') { res.end('ready\n'); return; }
  callDownstream(() => res.end('ok\n'));
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => { sdk.shutdown().finally(() => process.exit(0)); });
