#!/usr/bin/env node
// Print what the installed @opentelemetry/sdk-node really does, as JSON, for tracectl's SDK facts
// table (docs/sdk-facts.md): default and accepted OTEL_EXPORTER_OTLP_PROTOCOL values (the exporter
// sdk-node builds), the service.name fallback, the timeout unit, the propagators it knows by name
// and the endpoint forms. No network: exporters are built, never used.
'use strict';
const path = require('path');
const modules = path.join(__dirname, 'node_modules', '@opentelemetry');
// sdk-node's env helpers are not in its package "exports": load the built file directly.
const utils = require(path.join(modules, 'sdk-node', 'build', 'src', 'utils.js'));
const { defaultResource } = require(path.join(modules, 'resources'));
const { diag } = require(path.join(modules, 'api'));
diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} });

const clear = () => Object.keys(process.env).filter((k) => k.startsWith('OTEL_')).forEach((k) => delete process.env[k]);

function exporter() {
  return utils.getSpanProcessorsFromEnv()[0]._exporter;
}

// The protocol of the exporter sdk-node built.
function kind(e) {
  const transport = e._delegate._transport;
  if (transport.constructor.name === 'GrpcExporterTransport') return 'grpc';
  const bytes = Buffer.from(e._delegate._serializer.serializeRequest([]));
  return bytes.toString().startsWith('{') ? 'http/json' : 'http/protobuf';
}

clear();
const out = { default_protocol: kind(exporter()), protocols: [] };
for (const value of ['grpc', 'http/protobuf', 'http/json', 'GRPC', 'HTTP/Protobuf']) {
  clear();
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL = value;
  if (kind(exporter()) === value) out.protocols.push(value);
}
clear();
out.fallback_service_name = defaultResource().attributes['service.name'];
out.argv0 = process.argv0;
process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '1234';
const params = exporter()._delegate._transport._transport._parameters;
out.timeout_unit = params.timeoutMillis === 1234 ? 'ms' : 's';
clear();
out.propagators = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'xray', 'ottrace'].filter((name) => {
  process.env.OTEL_PROPAGATORS = name;
  const p = utils.getPropagatorFromEnv();
  return p != null && p.fields().length > 0;
});
clear();
process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://c:4318';
out.endpoint_base = exporter()._delegate._transport._transport._parameters.url;
clear();
process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'http://c:4318/custom';
out.endpoint_signal = exporter()._delegate._transport._transport._parameters.url;
console.log(JSON.stringify(out));
