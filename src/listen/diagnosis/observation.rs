//! Findings from what `listen` saw on the wire: thrift in the other encoding than the port's,
//! HTTP/1 on the gRPC port, gRPC on an HTTP port, TLS on a plaintext port, wrong paths and content
//! types, payloads that do not decode and payloads over the size limit.

use super::catalog::{
    BINARY_ON_COMPACT, COMPACT_ON_BINARY, GRPC_ON_HTTP, HTTP1_ON_GRPC, MALFORMED, OVERSIZE,
    TLS_ON_PLAINTEXT, WRONG_CONTENT_TYPE, WRONG_PATH,
};
use super::{Diagnoser, port_of, sender};
use crate::listen::{Listener, Observation, Seen, jaeger_http, otlp_http};
use crate::protocol::jaeger::Encoding;
use crate::report::{Draft, Finding};

impl Diagnoser {
    /// The finding about something seen on the wire, unless its cause was reported already.
    pub fn observation(&mut self, o: &Observation) -> Option<Finding> {
        let origin = &o.origin;
        let port = port_of(origin);
        let who = sender(origin, None);
        match &o.seen {
            Seen::ThriftEncoding {
                got,
                service,
                strict,
            } => {
                let (d, right) = match got {
                    Encoding::Binary => (&BINARY_ON_COMPACT, self.port(Listener::JaegerBinary)),
                    Encoding::Compact => (&COMPACT_ON_BINARY, self.port(Listener::JaegerCompact)),
                };
                let got_name = serde_json::to_value(got)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let who = sender(origin, Some(service));
                let outcome = if *strict {
                    "listen dropped them too (--strict)"
                } else {
                    "listen decoded the spans anyway"
                };
                let draft = Draft::new(
                    &who,
                    format!(
                        "sends jaeger.thrift {got_name} to port {} ({}), which a Jaeger agent reads as the other encoding and drops: {got_name} belongs on {right}, {} on {}. {outcome}.",
                        origin.port, origin.listener, origin.listener.as_str().trim_start_matches("jaeger-"), origin.port
                    ),
                    format!("point the client at the {got_name} port: JAEGER_AGENT_PORT={right}"),
                )
                .evidence("port", origin.port)
                .evidence("expected", origin.listener.as_str().trim_start_matches("jaeger-"))
                .evidence("received", got_name)
                .evidence("sender", origin.peer.to_string());
                self.reported
                    .once(d, format!("{who}|{}", origin.port), draft)
            }
            Seen::Http1OnGrpc { request_line } => {
                let http = self.port(Listener::OtlpHttp);
                let draft = Draft::new(
                    &who,
                    format!("sent an HTTP/1.1 request to the OTLP gRPC port {}: {request_line}. A gRPC receiver answers with an HTTP/2 SETTINGS frame and closes, so the exporter fails.", origin.port),
                    format!("use the OTLP HTTP port for OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:{http}), or OTEL_EXPORTER_OTLP_PROTOCOL=grpc for {}", origin.port),
                )
                .evidence("port", origin.port)
                .evidence("request", request_line.clone());
                self.reported
                    .once(&HTTP1_ON_GRPC, format!("{who}|{}", origin.port), draft)
            }
            Seen::GrpcOnHttp { path, served } => {
                let answer = if *served {
                    "an HTTP receiver answers 404, which a gRPC exporter reports as UNIMPLEMENTED; listen decoded the spans anyway"
                } else {
                    "it was answered 404, which a gRPC exporter reports as UNIMPLEMENTED"
                };
                let grpc = self.port(Listener::OtlpGrpc);
                let draft = Draft::new(
                    &who,
                    format!("made a gRPC call ({path}) to the HTTP port {port}; {answer}."),
                    format!("use the OTLP gRPC port for gRPC (OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:{grpc}), or OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf for {}", origin.port),
                )
                .evidence("port", origin.port)
                .evidence("path", path.clone());
                self.reported
                    .once(&GRPC_ON_HTTP, format!("{who}|{}", origin.port), draft)
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
                self.reported
                    .once(&TLS_ON_PLAINTEXT, format!("{who}|{}", origin.port), draft)
            }
            Seen::WrongPath {
                method,
                path,
                content_type,
            } => {
                let expected = expected_path(origin.listener);
                let draft = Draft::new(
                    &who,
                    format!("sent {method} {path} to {port}, which serves {expected}; it was answered 404.{}", self.path_hint(path)),
                    format!("send to http://HOST:{}{expected}", origin.port),
                )
                .evidence("port", origin.port)
                .evidence("method", method.clone())
                .evidence("path", path.clone())
                .evidence("content_type", content_type.clone());
                self.reported
                    .once(&WRONG_PATH, format!("{who}|{}|{path}", origin.port), draft)
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
                self.reported.once(
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
                self.reported
                    .once(&MALFORMED, format!("{who}|{}", origin.port), draft)
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
                self.reported
                    .once(&OVERSIZE, format!("{who}|{}", origin.port), draft)
            }
        }
    }
}

impl Diagnoser {
    fn path_hint(&self, path: &str) -> String {
        let on = |what: &str, listener| format!(" {what}, served on port {}.", self.port(listener));
        match path {
            "/v1/traces" => on("/v1/traces is OTLP/HTTP's path", Listener::OtlpHttp),
            "/api/traces" => on(
                "/api/traces is the Jaeger collector's path",
                Listener::JaegerHttp,
            ),
            "/api/v2/spans" | "/api/v1/spans" => on("That is Zipkin's path", Listener::Zipkin),
            "/" | "" => {
                " A signal-specific endpoint (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is used as is, without /v1/traces.".into()
            }
            "/v1/metrics" | "/v1/logs" => " listen receives traces only.".into(),
            _ => String::new(),
        }
    }
}

fn expected_path(listener: Listener) -> &'static str {
    match listener {
        Listener::OtlpHttp => otlp_http::PATH,
        Listener::JaegerHttp => jaeger_http::PATH,
        Listener::Zipkin => crate::protocol::zipkin::SPANS_PATH,
        _ => "",
    }
}
