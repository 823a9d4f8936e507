//! What `listen` diagnoses in the traffic it receives: a static list of diagnoses (stable `LSN`
//! ids, names and explanations, the source of `tracectl explain LSN001` and docs/listen/), and
//! the [`Diagnoser`] that turns observations and spans into findings, once per sender and cause.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::span_ref::SpanRef;
use super::{Counts, Listener, Observation, Origin, Received, Seen};
use crate::protocol::jaeger::Encoding;
use crate::report::{Draft, Explanation, Family, Finding, Severity};
use id_hash::IdMap;

mod id_hash;

/// One kind of finding `listen` reports. Not a doctor check: it is found in live traffic.
#[derive(Debug)]
pub struct Diagnosis {
    /// Stable code, e.g. `LSN001`. Never reused.
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The healthy condition, as check titles are.
    pub title: &'static str,
    pub explanation: Explanation,
}

impl Diagnosis {
    pub fn docs_path(&self) -> String {
        format!("docs/listen/{}.md", self.id)
    }

    fn finding(&'static self, draft: Draft) -> Finding {
        Finding {
            id: self.id,
            name: self.name,
            severity: draft.severity.unwrap_or(self.severity),
            family: Family::Listen,
            subject: draft.subject,
            message: draft.message,
            evidence: draft.evidence,
            fix: draft.fix,
            docs: self.docs_path(),
        }
    }
}

macro_rules! diagnosis {
    ($static:ident, $id:literal, $name:literal, $severity:ident, $title:literal,
     checks: $checks:literal, why: $why:literal, fix: $fix:literal, example: $example:literal) => {
        pub static $static: Diagnosis = Diagnosis {
            id: $id,
            name: $name,
            severity: Severity::$severity,
            title: $title,
            explanation: Explanation {
                checks: $checks,
                why: $why,
                fix: $fix,
                example: $example,
            },
        };
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
    checks: "How many TCP connections each listener holds open at once: over --max-connections (256 by default), new connections are closed as soon as they are accepted, and counted.",
    why: "The senders whose connections were closed see resets and retry or drop spans. A sender that needs that many connections usually opens one per request without closing it, or a load test runs more workers than listen allows.",
    fix: "Reuse connections in the sender (one gRPC channel or HTTP client per process), or raise the limit: tracectl listen --max-connections 1024.",
    example: "a load generator with 500 workers, each with its own connection");

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
];

/// Finds a diagnosis by id (case-insensitive) or name.
pub fn find(key: &str) -> Option<&'static Diagnosis> {
    let key = key.trim();
    DIAGNOSES
        .iter()
        .copied()
        .find(|d| d.id.eq_ignore_ascii_case(key) || d.name.eq_ignore_ascii_case(key))
}

/// How long a span waits for its parent before it is reported as an orphan.
const ORPHAN_GRACE: Duration = Duration::from_secs(30);
/// The most spans remembered for parent lookups, in two generations: when the newer one is full,
/// the older one is forgotten (and counted).
const MAX_REMEMBERED: usize = 200_000;
/// The most spans waiting for their parent at once; more are forgotten (and counted).
const MAX_WAITING: usize = 200_000;
/// The most distinct span and service names kept for messages; the set is cleared when full.
const MAX_NAMES: usize = 10_000;

/// A trace id and a span id.
type SpanKey = ([u8; 16], [u8; 8]);

#[derive(Debug, Clone)]
struct Remembered {
    start: u64,
    service: Rc<str>,
    name: Rc<str>,
}

#[derive(Debug, Clone)]
struct Waiting {
    child: Remembered,
    since: Instant,
    origin: Origin,
}

/// Span and service names shared by the remembered spans, so remembering one allocates nothing.
/// (`Rc`: the diagnoser stays on one thread, so counting references needs no atomics.)
#[derive(Debug, Default)]
struct Names {
    set: HashSet<Rc<str>>,
    /// The names returned last, compared before hashing: the spans of a batch mostly share them.
    recent: [Option<Rc<str>>; RECENT_NAMES],
    next: usize,
}

/// How many names [`Names`] compares before looking in its set.
const RECENT_NAMES: usize = 4;

impl Names {
    fn get(&mut self, text: &str) -> Rc<str> {
        if let Some(name) = self.recent.iter().flatten().find(|n| ***n == *text) {
            return name.clone();
        }
        let name = match self.set.get(text) {
            Some(name) => name.clone(),
            None => {
                if self.set.len() >= MAX_NAMES {
                    self.set.clear();
                }
                let name: Rc<str> = Rc::from(text);
                self.set.insert(name.clone());
                name
            }
        };
        if let Some(slot) = self.recent.get_mut(self.next % RECENT_NAMES) {
            *slot = Some(name.clone());
        }
        self.next = self.next.wrapping_add(1);
        name
    }
}

/// The spans seen recently, for parent lookups: bounded, the older generation forgotten first.
#[derive(Debug, Default)]
struct Memory {
    current: IdMap<SpanKey, Remembered>,
    previous: IdMap<SpanKey, Remembered>,
}

impl Memory {
    /// Remembers a span; returns how many older spans were forgotten to make room.
    fn insert(&mut self, key: SpanKey, span: Remembered) -> u64 {
        let mut forgotten = 0;
        if self.current.len() >= MAX_REMEMBERED / 2 {
            std::mem::swap(&mut self.current, &mut self.previous);
            forgotten = self.current.len() as u64;
            self.current.clear();
        }
        self.current.insert(key, span);
        forgotten
    }

    fn get(&self, key: &SpanKey) -> Option<&Remembered> {
        self.current.get(key).or_else(|| self.previous.get(key))
    }
}

/// Turns observations and spans into findings, each (diagnosis, sender, cause) once.
#[derive(Debug)]
pub struct Diagnoser {
    reported: HashSet<(&'static str, String)>,
    skew_threshold: Duration,
    names: Names,
    spans: Memory,
    waiting: IdMap<SpanKey, Vec<Waiting>>,
    waiting_spans: usize,
    forgotten: u64,
}

fn sender(origin: &Origin, service: Option<&str>) -> String {
    match service {
        Some(s) => format!("service {s:?} at {}", origin.peer.ip()),
        None if origin.listener.udp() => origin.peer.to_string(),
        None => origin.peer.ip().to_string(),
    }
}

fn port_of(origin: &Origin) -> String {
    format!("{} :{}", origin.listener, origin.port)
}

fn is_unknown_service(service: &str) -> bool {
    service.trim().is_empty()
        || service == "unknown_service"
        || service.starts_with("unknown_service:")
}

fn path_hint(path: &str) -> &'static str {
    match path {
        "/v1/traces" => " /v1/traces is OTLP/HTTP's path, served on port 4318.",
        "/api/traces" => " /api/traces is the Jaeger collector's path, served on port 14268.",
        "/api/v2/spans" | "/api/v1/spans" => " That is Zipkin's path, served on port 9411.",
        "/" | "" => {
            " A signal-specific endpoint (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is used as is, without /v1/traces."
        }
        "/v1/metrics" | "/v1/logs" => " listen receives traces only.",
        _ => "",
    }
}

fn expected_path(listener: Listener) -> &'static str {
    match listener {
        Listener::OtlpHttp => super::otlp_http::PATH,
        Listener::JaegerHttp => super::jaeger_http::PATH,
        Listener::Zipkin => crate::protocol::zipkin::SPANS_PATH,
        _ => "",
    }
}

fn signed_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
        Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

impl Diagnoser {
    pub fn new(skew_threshold: Duration) -> Diagnoser {
        Diagnoser {
            reported: HashSet::new(),
            skew_threshold,
            names: Names::default(),
            spans: Memory::default(),
            waiting: IdMap::default(),
            waiting_spans: 0,
            forgotten: 0,
        }
    }

    /// The finding, unless this diagnosis was already reported with this key.
    fn once(&mut self, d: &'static Diagnosis, key: String, draft: Draft) -> Option<Finding> {
        self.reported.insert((d.id, key)).then(|| d.finding(draft))
    }

    pub fn observation(&mut self, o: &Observation) -> Option<Finding> {
        let origin = &o.origin;
        let port = port_of(origin);
        let who = sender(origin, None);
        match &o.seen {
            Seen::ThriftEncoding { got, service } => {
                let (d, right) = match got {
                    Encoding::Binary => (&BINARY_ON_COMPACT, Encoding::Binary.agent_port()),
                    Encoding::Compact => (&COMPACT_ON_BINARY, Encoding::Compact.agent_port()),
                };
                let got_name = serde_json::to_value(got)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let who = sender(origin, Some(service));
                let draft = Draft::new(
                    &who,
                    format!(
                        "sends jaeger.thrift {got_name} to port {} ({}), which a Jaeger agent reads as the other encoding and drops: {got_name} belongs on {right}, {} on {}. listen decoded the spans anyway.",
                        origin.port, origin.listener, origin.listener.as_str().trim_start_matches("jaeger-"), origin.listener.default_port()
                    ),
                    format!("point the client at the {got_name} port: JAEGER_AGENT_PORT={right}"),
                )
                .evidence("port", origin.port)
                .evidence("expected", origin.listener.as_str().trim_start_matches("jaeger-"))
                .evidence("received", got_name)
                .evidence("sender", origin.peer.to_string());
                self.once(d, format!("{who}|{}", origin.port), draft)
            }
            Seen::Http1OnGrpc { request_line } => {
                let draft = Draft::new(
                    &who,
                    format!("sent an HTTP/1.1 request to the OTLP gRPC port {}: {request_line}. A gRPC receiver answers with an HTTP/2 SETTINGS frame and closes, so the exporter fails.", origin.port),
                    "use the OTLP HTTP port for OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:4318), or OTEL_EXPORTER_OTLP_PROTOCOL=grpc for 4317",
                )
                .evidence("port", origin.port)
                .evidence("request", request_line.clone());
                self.once(&HTTP1_ON_GRPC, format!("{who}|{}", origin.port), draft)
            }
            Seen::GrpcOnHttp { path, served } => {
                let answer = if *served {
                    "an HTTP receiver answers 404, which a gRPC exporter reports as UNIMPLEMENTED; listen decoded the spans anyway"
                } else {
                    "it was answered 404, which a gRPC exporter reports as UNIMPLEMENTED"
                };
                let draft = Draft::new(
                    &who,
                    format!("made a gRPC call ({path}) to the HTTP port {port}; {answer}."),
                    "use the OTLP gRPC port for gRPC (OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:4317), or OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf for 4318",
                )
                .evidence("port", origin.port)
                .evidence("path", path.clone());
                self.once(&GRPC_ON_HTTP, format!("{who}|{}", origin.port), draft)
            }
            Seen::Tls => {
                let draft = Draft::new(
                    &who,
                    format!(
                        "opened a TLS connection to the plaintext gRPC port {}.",
                        origin.port
                    ),
                    "use http:// in the endpoint or OTEL_EXPORTER_OTLP_INSECURE=true",
                )
                .evidence("port", origin.port);
                self.once(&TLS_ON_PLAINTEXT, format!("{who}|{}", origin.port), draft)
            }
            Seen::WrongPath {
                method,
                path,
                content_type,
            } => {
                let expected = expected_path(origin.listener);
                let draft = Draft::new(
                    &who,
                    format!("sent {method} {path} to {port}, which serves {expected}; it was answered 404.{}", path_hint(path)),
                    format!("send to http://HOST:{}{expected}", origin.port),
                )
                .evidence("port", origin.port)
                .evidence("method", method.clone())
                .evidence("path", path.clone())
                .evidence("content_type", content_type.clone());
                self.once(&WRONG_PATH, format!("{who}|{}|{path}", origin.port), draft)
            }
            Seen::WrongContentType { path, content_type } => {
                let draft = Draft::new(
                    &who,
                    format!("posted Content-Type {content_type:?} to {path} on {port}, which this path does not take; it was refused."),
                    format!("send a body {} takes (see tracectl explain LSN006)", path),
                )
                .evidence("port", origin.port)
                .evidence("path", path.clone())
                .evidence("content_type", content_type.clone());
                self.once(
                    &WRONG_CONTENT_TYPE,
                    format!("{who}|{}|{content_type}", origin.port),
                    draft,
                )
            }
            Seen::Malformed { what, error } => {
                let draft = Draft::new(
                    &who,
                    format!("sent {what} to {port} that does not decode: {error}."),
                    "check which protocol the sender speaks and point it at the matching port",
                )
                .evidence("port", origin.port)
                .evidence("error", error.clone());
                self.once(&MALFORMED, format!("{who}|{}", origin.port), draft)
            }
            Seen::Oversize { size, limit } => {
                let draft = Draft::new(
                    &who,
                    format!("sent {size} bytes to {port}, over the {limit}-byte limit; refused."),
                    "send smaller batches (OTEL_BSP_MAX_EXPORT_BATCH_SIZE, JAEGER_REPORTER_MAX_PACKET_SIZE)",
                )
                .evidence("port", origin.port)
                .evidence("bytes", *size)
                .evidence("limit", *limit);
                self.once(&OVERSIZE, format!("{who}|{}", origin.port), draft)
            }
        }
    }

    /// Findings about the spans of one request or datagram.
    pub fn spans(&mut self, r: &Received) -> Vec<Finding> {
        let mut out = Vec::new();
        let received = signed_nanos(r.at);
        r.batch
            .for_each(|span| self.span(&span, r, received, &mut out));
        out
    }

    /// Spans the parent/child checks forgot (the oldest first) to keep their memory bounded.
    pub fn forgotten(&self) -> u64 {
        self.forgotten
    }

    /// `received` is the receive time in Unix nanoseconds.
    fn span(&mut self, span: &SpanRef<'_>, r: &Received, received: i128, out: &mut Vec<Finding>) {
        let origin = &r.origin;
        let who = || sender(origin, Some(span.service));
        if is_unknown_service(span.service) {
            let who = who();
            let draft = Draft::new(
                &who,
                format!("spans arrive on {} with service name {:?}: the sender did not name its service.", port_of(origin), span.service),
                "set OTEL_SERVICE_NAME=<service> (JAEGER_SERVICE_NAME for Jaeger clients)",
            )
            .evidence("service", span.service)
            .evidence("protocol", span.protocol)
            .evidence("sender", origin.peer.ip().to_string());
            out.extend(self.once(&SERVICE_NAME, format!("{who}|{}", span.protocol), draft));
        }
        let nonzero = |bytes: &[u8]| bytes.iter().any(|b| *b != 0);
        let key = span
            .trace_id
            .bytes::<16>()
            .zip(span.span_id.bytes::<8>())
            .filter(|(trace, id)| nonzero(trace) && nonzero(id));
        if key.is_none() {
            let who = who();
            let (trace_id, span_id) = (span.trace_id.to_hex(), span.span_id.to_hex());
            let draft = Draft::new(
                &who,
                format!("sent span {:?} with trace id {trace_id:?} and span id {span_id:?}; ids must be 16 and 8 bytes, not all zero.", span.name),
                "let the SDK generate ids, and check the propagator that fed this one",
            )
            .evidence("trace_id", trace_id)
            .evidence("span_id", span_id);
            out.extend(self.once(&INVALID_IDS, who, draft));
        }
        let offset = i128::from(span.end_unix_nano) - received;
        let threshold = i128::try_from(self.skew_threshold.as_nanos()).unwrap_or(i128::MAX);
        if offset.abs() > threshold && span.end_unix_nano != 0 {
            out.extend(self.skew(span, offset, &who()));
        }
        if let Some(key) = key {
            self.family(span, key, origin, out);
        }
    }

    fn skew(&mut self, span: &SpanRef<'_>, offset: i128, who: &str) -> Option<Finding> {
        let ms = i64::try_from(offset / 1_000_000).unwrap_or(i64::MAX);
        let direction = if offset > 0 { "after" } else { "before" };
        let draft = Draft::new(
            who,
            format!(
                "span {:?} ends {} ms {direction} it was received, more than the {} ms threshold: the sender's clock is off (or its spans were held back).",
                span.name,
                ms.unsigned_abs(),
                self.skew_threshold.as_millis()
            ),
            "synchronise the sender's clock (chrony, systemd-timesyncd); raise --skew-threshold if spans are held back on purpose",
        )
        .evidence("skew_ms", ms)
        .evidence("threshold_ms", u64::try_from(self.skew_threshold.as_millis()).unwrap_or(u64::MAX))
        .evidence("span", span.name);
        self.once(&CLOCK_SKEW, who.to_owned(), draft)
    }

    /// Parent/child checks: a child before its parent, and children waiting for a parent.
    fn family(
        &mut self,
        span: &SpanRef<'_>,
        key: SpanKey,
        origin: &Origin,
        out: &mut Vec<Finding>,
    ) {
        let me = Remembered {
            start: span.start_unix_nano,
            service: self.names.get(span.service),
            name: self.names.get(span.name),
        };
        let children = if self.waiting.is_empty() {
            None
        } else {
            self.waiting.remove(&key)
        };
        for w in children.into_iter().flatten() {
            self.waiting_spans = self.waiting_spans.saturating_sub(1);
            out.extend(self.order(&w.child, &me));
        }
        let parent = span.parent_span_id.and_then(|p| p.bytes::<8>());
        if let Some(parent) = parent.filter(|p| *p != key.1) {
            let pkey = (key.0, parent);
            // Only the start is read in the common case: no copy of the parent's names.
            match self.spans.get(&pkey).map(|p| p.start) {
                Some(start) if me.start >= start => {}
                Some(_) => {
                    if let Some(p) = self.spans.get(&pkey).cloned() {
                        out.extend(self.order(&me, &p));
                    }
                }
                None if self.waiting_spans < MAX_WAITING => {
                    self.waiting_spans += 1;
                    self.waiting.entry(pkey).or_default().push(Waiting {
                        child: me.clone(),
                        since: Instant::now(),
                        origin: *origin,
                    });
                }
                None => self.forgotten += 1,
            }
        }
        self.forgotten += self.spans.insert(key, me);
    }

    fn order(&mut self, child: &Remembered, parent: &Remembered) -> Option<Finding> {
        if child.start >= parent.start {
            return None;
        }
        let early_us = (parent.start - child.start) / 1000;
        let draft = Draft::new(
            format!("service {:?}", child.service),
            format!(
                "span {:?} of service {:?} starts {early_us} µs before its parent {:?} of service {:?}: their clocks disagree.",
                child.name, child.service, parent.name, parent.service
            ),
            "synchronise the clocks of both services' hosts; check code that sets start times by hand",
        )
        .evidence("child", child.name.to_string())
        .evidence("parent", parent.name.to_string())
        .evidence("early_us", early_us);
        self.once(
            &CHILD_BEFORE_PARENT,
            format!("{}|{}", child.service, parent.service),
            draft,
        )
    }

    /// Orphans waiting longer than the grace period (all of them when `all`).
    pub fn orphans(&mut self, all: bool) -> Vec<Finding> {
        let now = Instant::now();
        let expired: Vec<SpanKey> = self
            .waiting
            .iter()
            .filter(|(_, w)| {
                all || w
                    .iter()
                    .all(|w| now.duration_since(w.since) >= ORPHAN_GRACE)
            })
            .map(|(k, _)| *k)
            .collect();
        let mut by_service: HashMap<Rc<str>, (usize, SpanKey, Waiting)> = HashMap::new();
        for key in expired {
            let children = self.waiting.remove(&key).unwrap_or_default();
            self.waiting_spans = self.waiting_spans.saturating_sub(children.len());
            for w in children {
                let entry = by_service
                    .entry(w.child.service.clone())
                    .or_insert_with(|| (0, key, w.clone()));
                entry.0 += 1;
            }
        }
        let mut services: Vec<_> = by_service.into_iter().collect();
        services.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::new();
        for (service, (count, (trace, parent), w)) in services {
            let who = sender(&w.origin, Some(&service));
            let (trace, parent) = (hex::encode(trace), hex::encode(parent));
            let draft = Draft::new(
                &who,
                format!("{count} span(s) name a parent that never arrived, e.g. {:?} in trace {trace} with parent {parent}.", w.child.name),
                "make every service in the request path export to the same receiver with a parent-based sampler (OTEL_TRACES_SAMPLER=parentbased_always_on)",
            )
            .evidence("spans", count)
            .evidence("trace_id", trace)
            .evidence("parent_span_id", parent);
            out.extend(self.once(&ORPHAN, who, draft));
        }
        out
    }

    /// Findings the first time listen itself dropped spans or refused connections.
    pub fn dropped(&mut self, counts: &Counts) -> Vec<Finding> {
        let mut out = Vec::new();
        if counts.refused_connections > 0 {
            let draft = Draft::new(
                "tracectl listen",
                format!("{} connection(s) were closed as soon as they were accepted: a listener already held --max-connections connections open.", counts.refused_connections),
                "reuse one connection per sender, or raise the limit: tracectl listen --max-connections 1024",
            )
            .evidence("refused_connections", counts.refused_connections);
            out.extend(self.once(&CONNECTION_LIMIT, String::new(), draft));
        }
        if counts.dropped_spans == 0 {
            return out;
        }
        let draft = Draft::new(
            "tracectl listen",
            format!("listen's queue was full and it dropped {} span(s) (and counts every one): spans arrived faster than they could be shown.", counts.dropped_spans),
            "write JSON to a file (--format json > spans.jsonl) or send less traffic",
        )
        .evidence("dropped_spans", counts.dropped_spans);
        out.extend(self.once(&DROPPED, String::new(), draft));
        out
    }
}

#[cfg(test)]
mod tests;
