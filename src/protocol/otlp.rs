//! OTLP trace requests and responses with the official `opentelemetry-proto` types: a neutral
//! [`Trace`] as an `ExportTraceServiceRequest`, and both OTLP encodings (protobuf, and the OTLP/JSON
//! mapping: hex ids, integer enums, camelCase, 64-bit integers as strings) in both directions.

pub use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, InstrumentationScope, KeyValue, any_value};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{self as pb, ResourceSpans, ScopeSpans};
use prost::Message;

use crate::protocol::trace::{Attr, AttrValue, SpanKind, Status, Trace};

pub const PROTOBUF_CONTENT_TYPE: &str = "application/x-protobuf";
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// The instrumentation scope tracectl's spans carry.
pub const SCOPE_NAME: &str = "tracectl";

pub fn any_value(value: &AttrValue) -> AnyValue {
    let value = match value {
        AttrValue::String(s) => any_value::Value::StringValue(s.clone()),
        AttrValue::Int(i) => any_value::Value::IntValue(*i),
        AttrValue::Double(d) => any_value::Value::DoubleValue(*d),
        AttrValue::Bool(b) => any_value::Value::BoolValue(*b),
    };
    AnyValue { value: Some(value) }
}

fn key_value(attr: &Attr) -> KeyValue {
    KeyValue {
        key: attr.key.clone(),
        value: Some(any_value(&attr.value)),
        ..Default::default()
    }
}

fn kind(kind: SpanKind) -> pb::span::SpanKind {
    match kind {
        SpanKind::Internal => pb::span::SpanKind::Internal,
        SpanKind::Server => pb::span::SpanKind::Server,
        SpanKind::Client => pb::span::SpanKind::Client,
        SpanKind::Producer => pb::span::SpanKind::Producer,
        SpanKind::Consumer => pb::span::SpanKind::Consumer,
    }
}

fn status(status: Status) -> Option<pb::Status> {
    let code = match status {
        Status::Unset => return None,
        Status::Ok => pb::status::StatusCode::Ok,
        Status::Error => pb::status::StatusCode::Error,
    };
    Some(pb::Status {
        message: String::new(),
        code: code as i32,
    })
}

/// Span flags saying whether the parent is remote: only a root that continues a trace started
/// elsewhere (`--parent`) has a remote parent.
fn remote_flags(remote_parent: bool) -> u32 {
    let known = pb::SpanFlags::ContextHasIsRemoteMask as u32;
    if remote_parent {
        known | pb::SpanFlags::ContextIsRemoteMask as u32
    } else {
        known
    }
}

/// One resource (`service.name` first, then the other resource attributes), one scope, all spans.
pub fn request_from_trace(trace: &Trace) -> ExportTraceServiceRequest {
    let mut resource = vec![key_value(&Attr::new(
        "service.name",
        AttrValue::String(trace.service.clone()),
    ))];
    resource.extend(trace.resource.iter().map(key_value));
    let spans = trace
        .spans
        .iter()
        .enumerate()
        .map(|(i, s)| pb::Span {
            trace_id: s.trace_id.to_vec(),
            span_id: s.span_id.to_vec(),
            parent_span_id: s.parent_span_id.map(|p| p.to_vec()).unwrap_or_default(),
            flags: remote_flags(i == 0 && s.parent_span_id.is_some()),
            name: s.name.clone(),
            kind: kind(s.kind) as i32,
            start_time_unix_nano: s.start_unix_nano,
            end_time_unix_nano: s.end_unix_nano,
            attributes: s.attributes.iter().map(key_value).collect(),
            events: s
                .events
                .iter()
                .map(|e| pb::span::Event {
                    time_unix_nano: e.time_unix_nano,
                    name: e.name.clone(),
                    ..Default::default()
                })
                .collect(),
            status: status(s.status),
            ..Default::default()
        })
        .collect();
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(Resource {
                attributes: resource,
                ..Default::default()
            }),
            scope_spans: vec![ScopeSpans {
                scope: Some(InstrumentationScope {
                    name: SCOPE_NAME.to_owned(),
                    version: env!("CARGO_PKG_VERSION").to_owned(),
                    ..Default::default()
                }),
                spans,
                schema_url: String::new(),
            }],
            schema_url: String::new(),
        }],
    }
}

pub fn encode_protobuf(request: &ExportTraceServiceRequest) -> Vec<u8> {
    request.encode_to_vec()
}

pub fn decode_protobuf(bytes: &[u8]) -> Result<ExportTraceServiceRequest, prost::DecodeError> {
    ExportTraceServiceRequest::decode(bytes)
}

pub fn encode_json(request: &ExportTraceServiceRequest) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(request)
}

pub fn decode_json(bytes: &[u8]) -> serde_json::Result<ExportTraceServiceRequest> {
    serde_json::from_slice(bytes)
}

/// The OTLP/JSON response: `rejectedSpans` is an int64, which the JSON mapping writes as a string
/// (as the collector does) and some servers write as a number; both are read.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonResponse {
    #[serde(default)]
    partial_success: Option<JsonPartialSuccess>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonPartialSuccess {
    #[serde(default)]
    rejected_spans: Option<JsonInt>,
    #[serde(default)]
    error_message: String,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum JsonInt {
    Number(i64),
    Text(String),
}

impl JsonInt {
    fn value(self) -> Result<i64, String> {
        match self {
            JsonInt::Number(n) => Ok(n),
            JsonInt::Text(t) => t
                .parse()
                .map_err(|_| format!("rejectedSpans {t:?} is not an integer")),
        }
    }
}

/// A response body in either encoding; an empty body is a full success.
pub fn decode_response(bytes: &[u8], json: bool) -> Result<ExportTraceServiceResponse, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(ExportTraceServiceResponse::default());
    }
    if json {
        let r: JsonResponse = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        let partial_success = match r.partial_success {
            Some(p) => Some(ExportTracePartialSuccess {
                rejected_spans: p
                    .rejected_spans
                    .map(JsonInt::value)
                    .transpose()?
                    .unwrap_or(0),
                error_message: p.error_message,
            }),
            None => None,
        };
        Ok(ExportTraceServiceResponse { partial_success })
    } else {
        ExportTraceServiceResponse::decode(bytes).map_err(|e| e.to_string())
    }
}

/// A response body; in JSON, `rejectedSpans` is written as a string, per the JSON mapping.
pub fn encode_response(response: &ExportTraceServiceResponse, json: bool) -> Vec<u8> {
    if !json {
        return response.encode_to_vec();
    }
    let body = match &response.partial_success {
        Some(p) => serde_json::json!({"partialSuccess": {
            "rejectedSpans": p.rejected_spans.to_string(),
            "errorMessage": p.error_message,
        }}),
        None => serde_json::json!({}),
    };
    body.to_string().into_bytes()
}

/// The `service.name` of a resource, if it has one as a string.
pub fn service_name(resource: Option<&Resource>) -> Option<&str> {
    resource?
        .attributes
        .iter()
        .find(|kv| kv.key == "service.name")
        .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
            any_value::Value::StringValue(s) => Some(s.as_str()),
            _ => None,
        })
}

/// Every span of a request with the service it came from.
pub fn spans(
    request: &ExportTraceServiceRequest,
) -> impl Iterator<Item = (Option<&str>, &pb::Span)> {
    request.resource_spans.iter().flat_map(|rs| {
        let service = service_name(rs.resource.as_ref());
        rs.scope_spans
            .iter()
            .flat_map(move |ss| ss.spans.iter().map(move |s| (service, s)))
    })
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::protocol::trace::Shape;

    fn trace() -> Trace {
        Trace::synthetic(
            &Shape {
                service: "checkout".into(),
                name: "op".into(),
                kind: SpanKind::Client,
                attributes: vec![
                    Attr::new("n", AttrValue::Int(42)),
                    Attr::new("ok", AttrValue::Bool(true)),
                ],
                resource: vec![Attr::new(
                    "deployment.environment",
                    AttrValue::String("ci".into()),
                )],
                events: vec!["retry".into()],
                status: Status::Error,
                spans: 2,
                parent: None,
            },
            SystemTime::now(),
        )
    }

    #[test]
    fn requests_round_trip_in_both_encodings() {
        let req = request_from_trace(&trace());
        assert_eq!(decode_protobuf(&encode_protobuf(&req)).unwrap(), req);
        assert_eq!(decode_json(&encode_json(&req).unwrap()).unwrap(), req);
    }

    #[test]
    fn json_follows_the_otlp_json_mapping() {
        let t = trace();
        let req = request_from_trace(&t);
        let json: serde_json::Value = serde_json::from_slice(&encode_json(&req).unwrap()).unwrap();
        let span = &json["resourceSpans"][0]["scopeSpans"][0]["spans"][1];
        assert_eq!(span["traceId"], hex::encode(t.spans[1].trace_id));
        assert_eq!(span["spanId"], hex::encode(t.spans[1].span_id));
        assert_eq!(span["parentSpanId"], hex::encode(t.spans[0].span_id));
        assert_eq!(span["kind"], 1, "enums are integers");
        assert_eq!(
            span["startTimeUnixNano"],
            t.spans[1].start_unix_nano.to_string()
        );
        let root = &json["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
        assert_eq!(root["kind"], 3);
        assert_eq!(root["status"]["code"], 2);
        assert_eq!(root["attributes"][0]["value"]["intValue"], "42");
        assert_eq!(root["attributes"][1]["value"]["boolValue"], true);
        assert_eq!(root["events"][0]["name"], "retry");
        let resource = &json["resourceSpans"][0]["resource"]["attributes"][0];
        assert_eq!(resource["key"], "service.name");
        assert_eq!(resource["value"]["stringValue"], "checkout");
    }

    #[test]
    fn spans_come_with_their_service() {
        let req = request_from_trace(&trace());
        let all: Vec<_> = spans(&req).collect();
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|(svc, _)| *svc == Some("checkout")));
    }

    #[test]
    fn responses_decode_partial_success() {
        let body = br#"{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}"#;
        let r = decode_response(body, true).unwrap();
        let p = r.partial_success.unwrap();
        assert_eq!((p.rejected_spans, p.error_message.as_str()), (2, "too old"));
        assert_eq!(
            decode_response(b"", false).unwrap(),
            ExportTraceServiceResponse::default()
        );
        let full = ExportTraceServiceResponse {
            partial_success: Some(p.clone()),
        };
        for json in [false, true] {
            let body = encode_response(&full, json);
            assert_eq!(decode_response(&body, json).unwrap(), full);
        }
        let number = br#"{"partialSuccess":{"rejectedSpans":3}}"#;
        assert_eq!(
            decode_response(number, true)
                .unwrap()
                .partial_success
                .unwrap()
                .rejected_spans,
            3
        );
        assert!(decode_response(b"<html>", true).is_err());
    }
}
