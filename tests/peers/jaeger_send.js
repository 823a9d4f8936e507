#!/usr/bin/env node
// Send spans with the npm jaeger-client (tests/peers/node_modules), then flush and close.
//   node tests/peers/jaeger_send.js --mode udp  --host 127.0.0.1 --port P --service NAME --spans N
//   node tests/peers/jaeger_send.js --mode http --host 127.0.0.1 --port P [--endpoint URL] --service NAME --spans N
// udp:  UDPSender, Agent.emitBatch in jaeger.thrift *binary* (what Node sends to 6832)
// http: HTTPSender, bare Batch in binary thrift POSTed to http://host:port/api/traces
//       (application/x-thrift); --endpoint overrides the URL.
// Prints one JSON object; exit 0 ok, 1 error, 2 watchdog. UDP gives no delivery error.
'use strict';
const path = require('path');
const { initTracer } = require(path.join(__dirname, 'node_modules', 'jaeger-client'));

function parseArgs(argv) {
  const opts = { mode: 'udp', host: '127.0.0.1', port: 0, endpoint: '', service: 'tracectl-test',
                 spans: 3, timeout: 3, traceId128: false };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const take = () => {
      if (i + 1 >= argv.length) fail(`missing value for ${key}`);
      return argv[++i];
    };
    switch (key) {
      case '--mode': opts.mode = take(); break;
      case '--host': opts.host = take(); break;
      case '--port': opts.port = Number(take()); break;
      case '--endpoint': opts.endpoint = take(); break;
      case '--service': opts.service = take(); break;
      case '--spans': opts.spans = Number(take()); break;
      case '--timeout': opts.timeout = Number(take()); break;
      case '--trace-id-128': opts.traceId128 = true; break;
      default: fail(`unknown argument ${key}`);
    }
  }
  if (!['udp', 'http'].includes(opts.mode)) fail('--mode must be udp or http');
  if (!(opts.spans >= 1)) fail('--spans must be >= 1');
  if (!opts.endpoint && !(opts.port > 0)) fail('--port (or --endpoint for http) is required');
  return opts;
}

function fail(msg) {
  process.stderr.write(`jaeger_send.js: ${msg}\n`);
  process.exit(64);
}

function finish(out, code) {
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(code));
}

const opts = parseArgs(process.argv.slice(2));
const errors = [];
const logger = { info() {}, error(msg) { errors.push(String(msg)); } };
const endpoint = opts.endpoint || `http://${opts.host}:${opts.port}/api/traces`;
const reporter = opts.mode === 'udp'
  ? { agentHost: opts.host, agentPort: opts.port, flushIntervalMs: 60000 }
  // timeoutMs only sets the socket idle timeout; the watchdog below is the hard bound.
  : { collectorEndpoint: endpoint, timeoutMs: Math.round(opts.timeout * 1000), flushIntervalMs: 60000 };

const watchdog = setTimeout(() => {
  finish({ ok: false, error: `watchdog: no flush within ${opts.timeout + 2}s; ${errors.join('; ')}`.trim() }, 2);
}, (opts.timeout + 2) * 1000);

const tracer = initTracer(
  { serviceName: opts.service, sampler: { type: 'const', param: 1 }, reporter },
  { logger, traceId128bit: opts.traceId128 },
);

const hex = (buf) => (buf ? Buffer.from(buf).toString('hex') : null);
const root = tracer.startSpan('root', { tags: { 'span.kind': 'server', 'peer.script': 'jaeger_send.js' } });
root.log({ event: 'started', 'peer.spans': opts.spans });
const spans = [root];
for (let i = 1; i < opts.spans; i++) {
  const child = tracer.startSpan(`child-${i}`, { childOf: root.context(),
                                                 tags: { 'span.kind': 'client', 'peer.index': i } });
  child.finish();
  spans.push(child);
}
root.finish();

const started = Date.now();
tracer.close(() => {
  clearTimeout(watchdog);
  const ctx = root.context();
  finish({
    ok: errors.length === 0,
    error: errors.length ? errors.join('; ') : null,
    mode: opts.mode,
    protocol: 'binary',
    target: opts.mode === 'udp' ? `${opts.host}:${opts.port}` : endpoint,
    service: opts.service,
    trace_id: hex(ctx.traceId),
    span_ids: spans.map((s) => hex(s.context().spanId)),
    spans: spans.map((s) => ({ name: s.operationName, span_id: hex(s.context().spanId),
                               parent_span_id: s.context().parentId ? hex(s.context().parentId) : null })),
    uber_trace_id: ctx.toString(),
    elapsed_ms: Date.now() - started,
  }, errors.length ? 1 : 0);
});
