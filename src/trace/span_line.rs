//! One received span as one JSON line: what `tracectl listen --format json` writes on stdout and
//! `tracectl analyze` reads. The shape is documented in docs/listen.md and docs/analyze.md; add
//! fields, never rename.
//!
//! listen always writes every field. analyze also reads lines from other tools, so only `name`,
//! `trace_id`, `span_id` and the two times are required there, and times may be decimal strings.

use serde::{Deserialize, Deserializer, Serialize};

/// A span as it arrived, whatever protocol carried it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpanLine {
    /// When listen received it, RFC 3339 UTC with microseconds.
    #[serde(default)]
    pub time: String,
    /// What carried it: otlp-grpc, otlp-http-protobuf, otlp-http-json, jaeger-compact,
    /// jaeger-binary, jaeger-http or zipkin.
    #[serde(default)]
    pub protocol: String,
    /// The local port it arrived on.
    #[serde(default)]
    pub port: u16,
    /// The sender's service name as sent (may be empty or `unknown_service:…`).
    #[serde(default)]
    pub service: String,
    pub name: String,
    /// 32 lowercase hex digits (64-bit Jaeger and Zipkin ids are left-padded with zeros).
    pub trace_id: String,
    /// 16 lowercase hex digits.
    pub span_id: String,
    /// 16 lowercase hex digits, or null for a root span.
    #[serde(default)]
    pub parent_span_id: Option<String>,
    /// internal, server, client, producer, consumer or unspecified.
    #[serde(default)]
    pub kind: String,
    #[serde(deserialize_with = "u64_or_string")]
    pub start_unix_nano: u64,
    #[serde(deserialize_with = "u64_or_string")]
    pub end_unix_nano: u64,
    /// Span attributes (Jaeger tags, Zipkin tags) with their JSON types.
    #[serde(default)]
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// Resource attributes (Jaeger process tags), `service.name` included when sent.
    #[serde(default)]
    pub resource: serde_json::Map<String, serde_json::Value>,
    /// unset, ok or error.
    #[serde(default)]
    pub status: String,
}

impl SpanLine {
    pub fn duration_nanos(&self) -> u64 {
        self.end_unix_nano.saturating_sub(self.start_unix_nano)
    }
}

/// The host key Jaeger's clock-skew adjuster uses: `host.id`, then `host.ip` (a string or the
/// first of a list), then `host.name`. Empty when none is set.
pub fn host_key(resource: &serde_json::Map<String, serde_json::Value>) -> String {
    ["host.id", "host.ip", "host.name"]
        .iter()
        .find_map(|key| match resource.get(*key)? {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            serde_json::Value::Array(items) => items.first()?.as_str().map(str::to_string),
            _ => None,
        })
        .unwrap_or_default()
}

/// Accepts a u64 written as a JSON number or a decimal string (proto3 JSON writes int64 as strings).
pub fn u64_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(u64),
        Text(String),
    }
    match Either::deserialize(d)? {
        Either::Number(n) => Ok(n),
        Either::Text(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a count of nanoseconds"))),
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

    #[test]
    fn a_minimal_line_from_another_tool_reads_with_string_times() {
        let line = r#"{"name":"GET","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","parent_span_id":"","start_unix_nano":"1700000000000000000","end_unix_nano":1700000000100000000,"resource":{"host.ip":["10.0.0.1"]}}"#;
        let span: SpanLine = serde_json::from_str(line).unwrap();
        assert_eq!(span.start_unix_nano, 1_700_000_000_000_000_000);
        assert_eq!(span.service, "");
        assert_eq!(host_key(&span.resource), "10.0.0.1");
    }
}
