//! The span line: one JSON object per span, one span per line (JSON Lines). `tracectl listen
//! --format json` writes it and `tracectl analyze` reads it (docs/analyze.md).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// One span as a self-contained JSON object.
///
/// Ids are lowercase hex (trace 32 digits, span 16); times are Unix nanoseconds as JSON numbers
/// (decimal strings are accepted too). Attribute values keep their JSON type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpanLine {
    /// When the span was received, RFC 3339 (informational; analysis uses the span's own times).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// `service.name` of the span's resource; `""` when it had none.
    #[serde(default)]
    pub service: String,
    pub name: String,
    pub trace_id: String,
    pub span_id: String,
    /// The parent span id; absent, `null` or `""` for a root span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_span_id: Option<String>,
    #[serde(deserialize_with = "u64_or_string")]
    pub start_unix_nano: u64,
    #[serde(deserialize_with = "u64_or_string")]
    pub end_unix_nano: u64,
    /// The span's attributes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// The resource's attributes (`service.name`, `host.name`, `host.ip`…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resource: BTreeMap<String, serde_json::Value>,
    /// How the span arrived: `otlp-grpc`, `otlp-http-protobuf`, `otlp-http-json`,
    /// `jaeger-thrift-compact`, `jaeger-thrift-binary`, `jaeger-thrift-http`, `zipkin-json`…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The local port it arrived on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// The host key Jaeger's clock-skew adjuster uses: `host.id`, then `host.ip` (a string or the
/// first of a list), then `host.name`. Empty when none is set.
pub fn host_key(resource: &BTreeMap<String, serde_json::Value>) -> String {
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
    fn round_trips_and_accepts_string_times() {
        let line = r#"{"service":"cart","name":"GET","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","parent_span_id":"","start_unix_nano":"1700000000000000000","end_unix_nano":1700000000100000000,"resource":{"host.ip":["10.0.0.1"]},"protocol":"otlp-grpc","port":4317}"#;
        let span: SpanLine = serde_json::from_str(line).unwrap();
        assert_eq!(span.start_unix_nano, 1_700_000_000_000_000_000);
        assert_eq!(host_key(&span.resource), "10.0.0.1");
        let again: SpanLine = serde_json::from_str(&serde_json::to_string(&span).unwrap()).unwrap();
        assert_eq!(again, span);
    }
}
