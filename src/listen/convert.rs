//! Decoded requests of every protocol as [`SpanLine`]s.

use std::time::SystemTime;

use serde_json::{Map, Value, json};

use super::Protocol;
use crate::protocol::jaeger::{self, SpanRefType, TagValue};
use crate::protocol::zipkin;
use crate::trace::span_line::SpanLine;

/// The receive time as written in a span line: RFC 3339, UTC, microseconds.
pub fn rfc3339(at: SystemTime) -> String {
    humantime::format_rfc3339_micros(at).to_string()
}

fn tag_value(value: &TagValue) -> Value {
    match value {
        TagValue::String(s) => json!(s),
        TagValue::Double(d) => json!(d),
        TagValue::Bool(b) => json!(b),
        TagValue::Long(l) => json!(l),
        TagValue::Binary(b) => json!(hex::encode(b)),
    }
}

fn tags(tags: Option<&Vec<jaeger::Tag>>) -> Map<String, Value> {
    tags.into_iter()
        .flatten()
        .map(|t| (t.key.clone(), tag_value(&t.value)))
        .collect()
}

/// The status the OpenTelemetry-to-Jaeger/Zipkin mapping encodes in tags.
fn status_from_tags(tags: &Map<String, Value>) -> &'static str {
    match tags.get("otel.status_code").and_then(Value::as_str) {
        Some("ERROR") => "error",
        Some("OK") => "ok",
        _ if matches!(tags.get("error"), Some(Value::Bool(true))) => "error",
        _ if matches!(tags.get("error"), Some(Value::String(_))) => "error",
        _ => "unset",
    }
}

fn kind_from_tags(tags: &Map<String, Value>) -> &'static str {
    match tags.get("span.kind").and_then(Value::as_str) {
        Some("server") => "server",
        Some("client") => "client",
        Some("producer") => "producer",
        Some("consumer") => "consumer",
        Some("internal") => "internal",
        _ => "unspecified",
    }
}

fn micros_to_nanos(micros: i64) -> u64 {
    u64::try_from(micros).unwrap_or(0).saturating_mul(1000)
}

pub fn jaeger(
    batch: &jaeger::Batch,
    protocol: Protocol,
    port: u16,
    at: SystemTime,
) -> Vec<SpanLine> {
    let time = rfc3339(at);
    let mut resource = tags(batch.process.tags.as_ref());
    resource.insert(
        "service.name".into(),
        json!(batch.process.service_name.clone()),
    );
    batch
        .spans
        .iter()
        .map(|span| {
            let attributes = tags(span.tags.as_ref());
            let parent = if span.parent_span_id != 0 {
                Some(span.parent_span_id)
            } else {
                span.references
                    .iter()
                    .flatten()
                    .find(|r| r.ref_type == SpanRefType::ChildOf)
                    .map(|r| r.span_id)
            };
            let start = micros_to_nanos(span.start_time);
            SpanLine {
                time: time.clone(),
                protocol: protocol.as_str().into(),
                port,
                service: batch.process.service_name.clone(),
                name: span.operation_name.clone(),
                trace_id: span.trace_id_hex(),
                span_id: span.span_id_hex(),
                parent_span_id: parent.map(|p| format!("{:016x}", p as u64)),
                kind: kind_from_tags(&attributes).into(),
                start_unix_nano: start,
                end_unix_nano: start.saturating_add(micros_to_nanos(span.duration)),
                status: status_from_tags(&attributes).into(),
                attributes,
                resource: resource.clone(),
            }
        })
        .collect()
}

pub fn zipkin(spans: &[zipkin::Span], port: u16, at: SystemTime) -> Vec<SpanLine> {
    let time = rfc3339(at);
    spans
        .iter()
        .map(|span| {
            let service = span
                .local_endpoint
                .as_ref()
                .and_then(|e| e.service_name.clone())
                .unwrap_or_default();
            let attributes: Map<String, Value> = span
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            let start = span.timestamp.unwrap_or(0).saturating_mul(1000);
            let mut resource = Map::new();
            resource.insert("service.name".into(), json!(service.clone()));
            SpanLine {
                time: time.clone(),
                protocol: Protocol::Zipkin.as_str().into(),
                port,
                service,
                name: span.name.clone().unwrap_or_default(),
                trace_id: format!("{:0>32}", span.trace_id.to_ascii_lowercase()),
                span_id: span.id.to_ascii_lowercase(),
                parent_span_id: span.parent_id.as_ref().map(|p| p.to_ascii_lowercase()),
                kind: match span.kind {
                    Some(zipkin::Kind::Server) => "server",
                    Some(zipkin::Kind::Client) => "client",
                    Some(zipkin::Kind::Producer) => "producer",
                    Some(zipkin::Kind::Consumer) => "consumer",
                    None => "internal",
                }
                .into(),
                start_unix_nano: start,
                end_unix_nano: start
                    .saturating_add(span.duration.unwrap_or(0).saturating_mul(1000)),
                status: status_from_tags(&attributes).into(),
                attributes,
                resource,
            }
        })
        .collect()
}

/// OTLP requests as span lines. listen writes OTLP lines straight from the request
/// ([`super::json_line`]); this is the reference they are tested against.
#[cfg(test)]
pub mod reference {
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
    use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
    use serde_json::{Map, Value, json};
    use std::time::SystemTime;

    use super::rfc3339;
    use crate::listen::Protocol;
    use crate::protocol::otlp::ExportTraceServiceRequest;
    use crate::trace::span_line::SpanLine;

    fn any_value(value: &AnyValue) -> Value {
        match &value.value {
            None => Value::Null,
            Some(any_value::Value::StringValue(s)) => json!(s),
            Some(any_value::Value::BoolValue(b)) => json!(b),
            Some(any_value::Value::IntValue(i)) => json!(i),
            Some(any_value::Value::DoubleValue(d)) => json!(d),
            Some(any_value::Value::BytesValue(b)) => json!(hex::encode(b)),
            Some(any_value::Value::ArrayValue(a)) => a.values.iter().map(any_value).collect(),
            Some(any_value::Value::KvlistValue(kv)) => Value::Object(attributes(&kv.values)),
            Some(_) => Value::Null,
        }
    }

    fn attributes(kvs: &[KeyValue]) -> Map<String, Value> {
        kvs.iter()
            .map(|kv| {
                (
                    kv.key.clone(),
                    kv.value.as_ref().map_or(Value::Null, any_value),
                )
            })
            .collect()
    }

    /// Ids as lowercase hex; an id of the wrong length is shown as sent.
    fn hex_id(bytes: &[u8]) -> String {
        hex::encode(bytes)
    }

    pub fn otlp(
        request: &ExportTraceServiceRequest,
        protocol: Protocol,
        port: u16,
        at: SystemTime,
    ) -> Vec<SpanLine> {
        let time = rfc3339(at);
        let mut lines = Vec::new();
        for rs in &request.resource_spans {
            let resource = rs
                .resource
                .as_ref()
                .map(|r| attributes(&r.attributes))
                .unwrap_or_default();
            let service = match resource.get("service.name") {
                Some(Value::String(s)) => s.clone(),
                _ => String::new(),
            };
            for span in rs.scope_spans.iter().flat_map(|ss| &ss.spans) {
                let status = match span.status.as_ref().map(|s| s.code()) {
                    Some(StatusCode::Ok) => "ok",
                    Some(StatusCode::Error) => "error",
                    _ => "unset",
                };
                lines.push(SpanLine {
                    time: time.clone(),
                    protocol: protocol.as_str().into(),
                    port,
                    service: service.clone(),
                    name: span.name.clone(),
                    trace_id: hex_id(&span.trace_id),
                    span_id: hex_id(&span.span_id),
                    parent_span_id: (!span.parent_span_id.is_empty())
                        .then(|| hex_id(&span.parent_span_id)),
                    kind: crate::listen::span_ref::otlp_kind(span.kind).into(),
                    start_unix_nano: span.start_time_unix_nano,
                    end_unix_nano: span.end_time_unix_nano,
                    attributes: attributes(&span.attributes),
                    resource: resource.clone(),
                    status: status.into(),
                });
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::reference::otlp;
    use super::*;
    use crate::protocol::otlp::request_from_trace;
    use crate::protocol::trace::{Attr, AttrValue, Shape, SpanKind, Status, Trace};

    fn trace() -> Trace {
        Trace::synthetic(
            &Shape {
                service: "checkout".into(),
                name: "op".into(),
                kind: SpanKind::Server,
                attributes: vec![Attr::new("n", AttrValue::Int(7))],
                resource: vec![],
                events: vec![],
                status: Status::Error,
                spans: 2,
                parent: None,
            },
            UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        )
    }

    fn same_shape(lines: &[SpanLine], t: &Trace) {
        assert_eq!(lines.len(), 2);
        for (line, span) in lines.iter().zip(&t.spans) {
            assert_eq!(line.service, "checkout");
            assert_eq!(line.trace_id, hex::encode(span.trace_id));
            assert_eq!(line.span_id, hex::encode(span.span_id));
            assert_eq!(line.parent_span_id, span.parent_span_id.map(hex::encode));
            assert_eq!(line.start_unix_nano, span.start_unix_nano / 1000 * 1000);
        }
        assert_eq!(lines[0].kind, "server");
        assert_eq!(lines[0].status, "error");
        assert_eq!(lines[0].attributes["n"], json!(7));
    }

    #[test]
    fn every_protocol_gives_the_same_span_lines() {
        let t = trace();
        let at = UNIX_EPOCH + Duration::from_secs(1_800_000_001);
        let from_otlp = otlp(&request_from_trace(&t), Protocol::OtlpGrpc, 4317, at);
        same_shape(&from_otlp, &t);
        assert_eq!(from_otlp[0].time, "2027-01-15T08:00:01.000000Z");
        assert_eq!(from_otlp[0].resource["service.name"], json!("checkout"));
        let from_jaeger = jaeger(
            &jaeger::batch_from_trace(&t),
            Protocol::JaegerCompact,
            6831,
            at,
        );
        same_shape(&from_jaeger, &t);
        assert_eq!(from_jaeger[1].protocol, "jaeger-compact");
        let from_zipkin = zipkin(&zipkin::spans_from_trace(&t), 9411, at);
        assert_eq!(from_zipkin[0].service, "checkout");
        assert_eq!(from_zipkin[1].parent_span_id, from_jaeger[1].parent_span_id);
        assert_eq!(from_zipkin[0].kind, "server");
    }
}
