//! One received span as one JSON line: what `tracectl listen --format json` writes on stdout and
//! `tracectl analyze` reads. The shape is documented in docs/listen.md; add fields, never rename.

use serde::{Deserialize, Serialize};

/// A span as it arrived, whatever protocol carried it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanLine {
    /// When listen received it, RFC 3339 UTC with microseconds.
    pub time: String,
    /// What carried it: otlp-grpc, otlp-http-protobuf, otlp-http-json, jaeger-compact,
    /// jaeger-binary, jaeger-http or zipkin.
    pub protocol: String,
    /// The local port it arrived on.
    pub port: u16,
    /// The sender's service name as sent (may be empty or `unknown_service:…`).
    pub service: String,
    pub name: String,
    /// 32 lowercase hex digits (64-bit Jaeger and Zipkin ids are left-padded with zeros).
    pub trace_id: String,
    /// 16 lowercase hex digits.
    pub span_id: String,
    /// 16 lowercase hex digits, or null for a root span.
    pub parent_span_id: Option<String>,
    /// internal, server, client, producer, consumer or unspecified.
    pub kind: String,
    pub start_unix_nano: u64,
    pub end_unix_nano: u64,
    /// Span attributes (Jaeger tags, Zipkin tags) with their JSON types.
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// Resource attributes (Jaeger process tags), `service.name` included when sent.
    pub resource: serde_json::Map<String, serde_json::Value>,
    /// unset, ok or error.
    pub status: String,
}

impl SpanLine {
    pub fn duration_nanos(&self) -> u64 {
        self.end_unix_nano.saturating_sub(self.start_unix_nano)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_round_trips_with_the_documented_field_names() {
        let line = SpanLine {
            time: "2026-11-21T10:00:00.000001Z".into(),
            protocol: "otlp-grpc".into(),
            port: 4317,
            service: "checkout".into(),
            name: "GET /cart".into(),
            trace_id: "4bf92f3577b34da6a3ce929d0e0e4736".into(),
            span_id: "00f067aa0ba902b7".into(),
            parent_span_id: None,
            kind: "server".into(),
            start_unix_nano: 1,
            end_unix_nano: 3,
            attributes: serde_json::Map::new(),
            resource: serde_json::Map::new(),
            status: "unset".into(),
        };
        let text = serde_json::to_string(&line).unwrap();
        let mut last = 0;
        for key in [
            "time",
            "protocol",
            "port",
            "service",
            "name",
            "trace_id",
            "span_id",
            "parent_span_id",
            "kind",
            "start_unix_nano",
            "end_unix_nano",
            "attributes",
            "resource",
            "status",
        ] {
            let at = text.find(&format!("\"{key}\":")).unwrap();
            assert!(at >= last, "{key} out of order in {text}");
            last = at;
        }
        assert_eq!(serde_json::from_str::<SpanLine>(&text).unwrap(), line);
        assert_eq!(line.duration_nanos(), 2);
    }
}
