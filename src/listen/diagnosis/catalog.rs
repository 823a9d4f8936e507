//! The catalogue of what `listen` diagnoses: every [`Diagnosis`] with its stable `LSN` id, name,
//! severity and explanation (the source of `tracectl explain LSN001` and docs/listen/), in id order.

use crate::rule::Listed;

/// Diagnosiss are rules listed in this catalogue.
pub type Diagnosis = Listed;

macro_rules! diagnosis {
    ($($entry:tt)*) => {
        crate::rule::listed!(Listen, Traffic, "docs/listen"; $($entry)*);
    };
}

diagnosis!(BINARY_ON_COMPACT, "LSN001", "thrift-binary-on-compact-port", Error,
    "Jaeger datagrams on the compact port are thrift compact",
    checks: "Every UDP datagram on the compact agent port (6831) is recognised from its first bytes: thrift compact messages start with 0x82, strict binary ones with 0x80 0x01.",
    why: "A Jaeger agent or collector on 6831 reads only compact thrift. Binary datagrams fail to parse there (`Bad version in ReadMessageBegin` in the agent's log) and the spans vanish; UDP gives the sender no error. The Node.js jaeger-client sends binary thrift, to 6832 by default.",
    fix: "Send binary thrift to the binary port: set JAEGER_AGENT_PORT=6832 (or the client's agentPort option). listen decodes the spans anyway, so you can see them.",
    example: "JAEGER_AGENT_HOST=localhost JAEGER_AGENT_PORT=6831 node app.js   # jaeger-client (Node) sends binary");

diagnosis!(COMPACT_ON_BINARY, "LSN002", "thrift-compact-on-binary-port", Error,
    "Jaeger datagrams on the binary port are thrift binary",
    checks: "Every UDP datagram on the binary agent port (6832) is recognised from its first bytes.",
    why: "A receiver on 6832 reads only binary thrift; compact datagrams are dropped without a word to the sender. Most Jaeger clients (Python, Go, Java) send compact thrift to 6831.",
    fix: "Send compact thrift to the compact port: set JAEGER_AGENT_PORT=6831 (reporting_port in the Python client).",
    example: "JAEGER_AGENT_PORT=6832 python app.py   # jaeger-client (Python) sends compact");

diagnosis!(HTTP1_ON_GRPC, "LSN003", "http-on-grpc-port", Error,
    "Only gRPC (HTTP/2) arrives on the OTLP gRPC port",
    checks: "The first bytes of every connection to the OTLP gRPC port (4317): the HTTP/2 preface is gRPC, an HTTP/1.x request line is not.",
    why: "An OTLP/HTTP exporter pointed at 4317 gets a connection reset or a 'malformed HTTP response' (the gRPC server's SETTINGS frame) and drops its spans. listen answers as a gRPC server does and reports the request line.",
    fix: "Point OTLP/HTTP at the HTTP port: OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:4318, or keep 4317 and set OTEL_EXPORTER_OTLP_PROTOCOL=grpc.",
    example: "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317");

diagnosis!(GRPC_ON_HTTP, "LSN004", "grpc-on-http-port", Error,
    "Only HTTP requests arrive on the HTTP ports",
    checks: "Requests on the HTTP ports (4318, 14268, 9411) with Content-Type application/grpc, i.e. a gRPC exporter.",
    why: "An HTTP receiver has no gRPC route: the exporter gets UNIMPLEMENTED (HTTP 404) or 'error reading server preface' and drops its spans.",
    fix: "Point the gRPC exporter at the gRPC port: OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:4317, or keep 4318 and set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf.",
    example: "OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318");

diagnosis!(WRONG_PATH, "LSN005", "wrong-http-path", Error,
    "Requests use the path the port serves",
    checks: "The path of every HTTP request: /v1/traces on the OTLP HTTP port, /api/traces on the Jaeger HTTP port, /api/v2/spans on the Zipkin port.",
    why: "A receiver answers 404 to any other path and the spans are lost. The classic case: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as is, so setting it to http://host:4318 posts to / instead of /v1/traces.",
    fix: "Use the full path in signal-specific endpoints (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://HOST:4318/v1/traces), or set the base OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:4318 and let the SDK append it.",
    example: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://localhost:4318   # posts to /");

diagnosis!(WRONG_CONTENT_TYPE, "LSN006", "wrong-content-type", Error,
    "Request bodies have a content type the path takes",
    checks: "The Content-Type of every request: application/x-protobuf or application/json on /v1/traces, application/x-thrift on /api/traces, application/json on /api/v2/spans.",
    why: "Receivers refuse other types (415 or 400) and the spans are lost.",
    fix: "Use an exporter for the endpoint's protocol, or set the Content-Type it takes.",
    example: "curl -X POST -H 'Content-Type: text/plain' --data-binary @spans.json http://localhost:4318/v1/traces");

diagnosis!(SERVICE_NAME, "LSN007", "service-name-missing", Warning,
    "Every sender names its service",
    checks: "The service name of every span received: empty, or the SDK fallback unknown_service / unknown_service:<executable>.",
    why: "Backends group traces by service; every unnamed app lands in one unknown_service bucket and cannot be told apart or found.",
    fix: "Set OTEL_SERVICE_NAME=<service> (or service.name in OTEL_RESOURCE_ATTRIBUTES; JAEGER_SERVICE_NAME for Jaeger clients).",
    example: "unset OTEL_SERVICE_NAME; python app.py   # resource service.name=unknown_service");

diagnosis!(CLOCK_SKEW, "LSN008", "sender-clock-skew", Warning,
    "Span timestamps agree with the receive time",
    checks: "How far each span's end time is from the time listen received it; more than the skew threshold (--skew-threshold) in either direction is reported once per sender.",
    why: "A span cannot end after it was received; one that ended long before was held back or stamped by a wrong clock. A skewed clock makes children start before their parents and traces render out of order.",
    fix: "Synchronise the sender's clock (chrony or systemd-timesyncd; in a VM or container, the host's). If spans are legitimately held back, raise --skew-threshold.",
    example: "date -s '+5 min'; python app.py   # every span 5 minutes in the future");

diagnosis!(CHILD_BEFORE_PARENT, "LSN009", "child-starts-before-parent", Warning,
    "Child spans start after their parents",
    checks: "For every span whose parent was also received: whether the child starts before the parent.",
    why: "A child that starts before its parent means the two hosts' clocks disagree (or timestamps are set by hand); trace views draw it out of place and latency breakdowns are wrong.",
    fix: "Synchronise the clocks of the services involved; check any code that sets span start times explicitly.",
    example: "otel_send.py --skew-ms 50   # children stamped 50 ms before their parent");

diagnosis!(ORPHAN, "LSN010", "parent-never-arrived", Warning,
    "Every parent span id arrives",
    checks: "Spans whose parent span id never arrived while listen ran (reported after 30 s, or when it stops).",
    why: "The trace is broken into pieces: the parent was never exported (not sampled, dropped, sent elsewhere) or context propagation passed an id no service reported.",
    fix: "Make every service in the path export to the same place with the same sampler (e.g. OTEL_TRACES_SAMPLER=parentbased_always_on), and check that the caller's exporter works too.",
    example: "an upstream service whose exporter is disabled: OTEL_TRACES_EXPORTER=none");

diagnosis!(INVALID_IDS, "LSN011", "invalid-span-ids", Error,
    "Trace and span ids are valid",
    checks: "Every span's trace id (16 bytes) and span id (8 bytes): all-zero or wrong-length ids are invalid.",
    why: "Backends drop spans with invalid ids, or merge unrelated spans into one trace.",
    fix: "Let the SDK generate ids; if they are set by hand or propagated from headers, fix the code or the propagator that produced zeros.",
    example: "traceparent: 00-00000000000000000000000000000000-0000000000000000-01");

diagnosis!(MALFORMED, "LSN012", "malformed-payload", Error,
    "Payloads decode as the port's protocol",
    checks: "Every datagram and request body decodes as what the port takes (thrift emitBatch, OTLP protobuf or JSON, Jaeger Batch, Zipkin v2 JSON).",
    why: "A receiver drops what it cannot decode; usually the wrong protocol for the port, a truncated datagram, or a buggy exporter.",
    fix: "Check which protocol the sender speaks and point it at the matching port (tracectl listen shows them all in its banner).",
    example: "echo hello | nc -u -w1 localhost 6831");

diagnosis!(OVERSIZE, "LSN013", "payload-too-large", Error,
    "Datagrams and bodies fit the receivers' limits",
    checks: "The size of every datagram (a Jaeger agent reads at most 65000 bytes) and body (listen takes 8 MiB).",
    why: "Oversize datagrams are truncated or dropped by agents, oversize bodies refused; the spans in them are lost.",
    fix: "Send smaller batches: lower the client's max packet size or batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE, JAEGER_REPORTER_MAX_PACKET_SIZE).",
    example: "OTEL_BSP_MAX_EXPORT_BATCH_SIZE=100000");

diagnosis!(DROPPED, "LSN014", "listen-dropped-spans", Warning,
    "listen kept up with every span it received",
    checks: "listen's own queue: when spans arrive faster than they can be shown, the excess is dropped and counted rather than buffered without bound.",
    why: "The counts listen shows are then lower than what was sent; the senders are not at fault.",
    fix: "Write JSON to a file (--format json > spans.jsonl) rather than to a terminal, or send less traffic to listen.",
    example: "a load test pointed at tracectl listen");

diagnosis!(TLS_ON_PLAINTEXT, "LSN015", "tls-on-plaintext-port", Error,
    "Senders use plaintext where the receiver expects it",
    checks: "Connections to the OTLP gRPC port that start with a TLS handshake.",
    why: "The receiver speaks plaintext; the exporter fails with 'connection closed before server preface received' or a TLS error and drops its spans.",
    fix: "Use an http:// endpoint or OTEL_EXPORTER_OTLP_INSECURE=true for a plaintext receiver, or enable TLS on the receiver.",
    example: "OTEL_EXPORTER_OTLP_ENDPOINT=https://localhost:4317");

diagnosis!(CONNECTION_LIMIT, "LSN016", "listen-connection-limit", Warning,
    "Senders stay within listen's connection limit",
    checks: "How many TCP connections each listener holds open at once: over --max-connections (256 by default), the connection that made progress least recently is closed to make room when it has gone 1 s without a request; when every connection is busy, the new one is closed as soon as it is accepted, and counted.",
    why: "The senders whose connections were closed see resets and retry or drop spans. A sender that needs that many connections usually opens one per request without closing it, or a load test runs more workers than listen allows.",
    fix: "Reuse connections in the sender (one gRPC channel or HTTP client per process), or raise the limit: tracectl listen --max-connections 1024.",
    example: "a load generator with 500 workers, each with its own connection");

diagnosis!(MEMORY_LIMIT, "LSN017", "listen-memory-limit", Warning,
    "Requests fit listen's memory budget",
    checks: "The bytes every request holds while listen reads, decodes, renders and queues it (estimated before decoding, so millions of empty spans in one 8 MiB body are refused, not decoded), against --max-memory (256 MiB by default) and each connection's share (16 MiB of bodies not yet decoded).",
    why: "A request that does not fit is answered 503 with Retry-After (gRPC UNAVAILABLE), which exporters retry, or 413 (gRPC RESOURCE_EXHAUSTED) when it alone is larger than the budget; its spans are not shown. The sender is not necessarily at fault: many large batches at once fill any budget.",
    fix: "Send smaller batches (OTEL_BSP_MAX_EXPORT_BATCH_SIZE) or fewer at once, or raise the budget: tracectl listen --max-memory 1GiB.",
    example: "a load test sending 8 MiB batches from 50 workers");

/// Every diagnosis, in id order.
pub static DIAGNOSES: &[&Diagnosis] = &[
    &BINARY_ON_COMPACT,
    &COMPACT_ON_BINARY,
    &HTTP1_ON_GRPC,
    &GRPC_ON_HTTP,
    &WRONG_PATH,
    &WRONG_CONTENT_TYPE,
    &SERVICE_NAME,
    &CLOCK_SKEW,
    &CHILD_BEFORE_PARENT,
    &ORPHAN,
    &INVALID_IDS,
    &MALFORMED,
    &OVERSIZE,
    &DROPPED,
    &TLS_ON_PLAINTEXT,
    &CONNECTION_LIMIT,
    &MEMORY_LIMIT,
];
