//! Span lines written straight from a [`SpanRef`] into a reusable buffer: byte for byte what
//! `serde_json` writes for the equivalent [`SpanLine`](crate::trace::span_line::SpanLine) (same
//! field order, object keys sorted with the last of a repeated key kept, the same escapes), without
//! building one. A test holds the two to the same output.

use std::fmt::Write as _;

use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use serde_json::{Map, Value};

use super::Batch;
use super::span_ref::{Attrs, SpanRef, for_each_otlp, otlp_service};

/// Appends `text` as a JSON string, escaped as serde_json escapes it.
pub fn push_str(out: &mut String, text: &str) {
    out.push('"');
    let mut rest = text;
    // Every byte that needs an escape is ASCII, so a byte position is a char boundary.
    while let Some(at) = rest
        .bytes()
        .position(|b| b == b'"' || b == b'\\' || b < b' ')
    {
        let Some((clean, tail)) = rest.split_at_checked(at) else {
            break;
        };
        out.push_str(clean);
        let mut chars = tail.chars();
        match chars.next() {
            Some('"') => out.push_str("\\\""),
            Some('\\') => out.push_str("\\\\"),
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some('\t') => out.push_str("\\t"),
            Some('\u{8}') => out.push_str("\\b"),
            Some('\u{c}') => out.push_str("\\f"),
            Some(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            None => {}
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out.push('"');
}

/// Appends an integer's decimal digits, as `write!` does but without the formatting machinery
/// (which showed in profiles: three numbers per span line).
fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut len = 0;
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
        if n == 0 {
            break;
        }
    }
    let digits = buf.get(buf.len() - len..).unwrap_or_default();
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
}

fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

fn push_f64(out: &mut String, d: f64) {
    match serde_json::Number::from_f64(d) {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str("null"),
    }
}

fn push_any(out: &mut String, value: Option<&AnyValue>) {
    match value.and_then(|v| v.value.as_ref()) {
        Some(any_value::Value::StringValue(s)) => push_str(out, s),
        Some(any_value::Value::BoolValue(b)) => out.push_str(if *b { "true" } else { "false" }),
        Some(any_value::Value::IntValue(i)) => push_i64(out, *i),
        Some(any_value::Value::DoubleValue(d)) => push_f64(out, *d),
        Some(any_value::Value::BytesValue(b)) => {
            out.push('"');
            super::span_ref::Id::Bytes(b).push_hex(out);
            out.push('"');
        }
        Some(any_value::Value::ArrayValue(a)) => {
            out.push('[');
            for (i, v) in a.values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_any(out, Some(v));
            }
            out.push(']');
        }
        Some(any_value::Value::KvlistValue(kv)) => push_kvs(out, &kv.values),
        _ => out.push_str("null"),
    }
}

fn push_member(out: &mut String, first: &mut bool, kv: &KeyValue) {
    if !*first {
        out.push(',');
    }
    *first = false;
    push_str(out, &kv.key);
    out.push(':');
    push_any(out, kv.value.as_ref());
}

/// OTLP attributes as a JSON object with a map's semantics: keys sorted, the last value of a
/// repeated key kept. Already sorted lists (the common case) are written without sorting.
fn push_kvs(out: &mut String, kvs: &[KeyValue]) {
    out.push('{');
    let mut first = true;
    if kvs
        .iter()
        .zip(kvs.iter().skip(1))
        .all(|(a, b)| a.key < b.key)
    {
        for kv in kvs {
            push_member(out, &mut first, kv);
        }
    } else {
        let mut sorted: Vec<&KeyValue> = kvs.iter().collect();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        let mut members = sorted.iter().peekable();
        while let Some(kv) = members.next() {
            if members.peek().is_some_and(|next| next.key == kv.key) {
                continue;
            }
            push_member(out, &mut first, kv);
        }
    }
    out.push('}');
}

fn push_map(out: &mut String, map: &Map<String, Value>) {
    out.push('{');
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, k);
        out.push(':');
        let _ = write!(out, "{v}");
    }
    out.push('}');
}

pub fn push_attrs(out: &mut String, attrs: Attrs<'_>) {
    match attrs {
        Attrs::Otlp(kvs) => push_kvs(out, kvs),
        Attrs::Json(map) => push_map(out, map),
    }
}

/// The start of a span line, up to the service: the same for every span of an OTLP resource.
fn push_head(out: &mut String, time: &str, protocol: &str, port: u16, service: &str) {
    out.push_str("{\"time\":");
    push_str(out, time);
    out.push_str(",\"protocol\":");
    push_str(out, protocol);
    out.push_str(",\"port\":");
    push_u64(out, port.into());
    out.push_str(",\"service\":");
    push_str(out, service);
}

/// One span line and its newline; `head` is its start ([`push_head`]) and `resource` the
/// resource object, both already written.
fn push_line(out: &mut String, span: &SpanRef<'_>, head: &str, resource: &str) {
    out.push_str(head);
    out.push_str(",\"name\":");
    push_str(out, span.name);
    out.push_str(",\"trace_id\":\"");
    span.trace_id.push_hex(out);
    out.push_str("\",\"span_id\":\"");
    span.span_id.push_hex(out);
    out.push_str("\",\"parent_span_id\":");
    match span.parent_span_id {
        Some(parent) => {
            out.push('"');
            parent.push_hex(out);
            out.push('"');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"kind\":");
    push_str(out, span.kind);
    out.push_str(",\"start_unix_nano\":");
    push_u64(out, span.start_unix_nano);
    out.push_str(",\"end_unix_nano\":");
    push_u64(out, span.end_unix_nano);
    out.push_str(",\"attributes\":");
    push_attrs(out, span.attributes);
    out.push_str(",\"resource\":");
    out.push_str(resource);
    out.push_str(",\"status\":");
    push_str(out, span.status);
    out.push_str("}\n");
}

/// Every span of a batch as JSON lines. An OTLP resource is written once for all its spans.
pub fn push_batch(out: &mut String, batch: &Batch, time: &str, port: u16) {
    let mut resource = String::new();
    let mut head = String::new();
    match batch {
        Batch::Otlp { request, protocol } => {
            for rs in &request.resource_spans {
                head.clear();
                push_head(&mut head, time, protocol.as_str(), port, otlp_service(rs));
                resource.clear();
                push_kvs(
                    &mut resource,
                    rs.resource.as_ref().map_or(&[], |r| &r.attributes),
                );
                for_each_otlp(rs, *protocol, &mut |span| {
                    push_line(out, &span, &head, &resource);
                });
            }
        }
        Batch::Lines(_) => {
            batch.for_each(|span| {
                head.clear();
                push_head(&mut head, time, span.protocol, port, span.service);
                resource.clear();
                push_attrs(&mut resource, span.resource);
                push_line(out, &span, &head, &resource);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use opentelemetry_proto::tonic::common::v1::{ArrayValue, KeyValueList};
    use proptest::prelude::*;

    use super::*;
    use crate::listen::{Protocol, convert};
    use crate::protocol::otlp::{ExportTraceServiceRequest, request_from_trace};
    use crate::protocol::trace::{Attr, AttrValue, Shape, SpanKind, Status, Trace};

    fn kv(key: &str, value: any_value::Value) -> KeyValue {
        KeyValue {
            key: key.into(),
            value: Some(AnyValue { value: Some(value) }),
            ..Default::default()
        }
    }

    fn request(attributes: Vec<KeyValue>, name: &str) -> ExportTraceServiceRequest {
        let t = Trace::synthetic(
            &Shape {
                service: "checkout".into(),
                name: name.into(),
                kind: SpanKind::Client,
                attributes: vec![Attr::new("n", AttrValue::Int(7))],
                resource: vec![],
                events: vec![],
                status: Status::Error,
                spans: 3,
                parent: None,
            },
            UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        );
        let mut request = request_from_trace(&t);
        for rs in &mut request.resource_spans {
            for span in rs.scope_spans.iter_mut().flat_map(|ss| &mut ss.spans) {
                span.attributes.extend(attributes.iter().cloned());
            }
        }
        request
    }

    /// What serde_json writes for the span lines `convert::otlp` builds.
    fn reference(request: &ExportTraceServiceRequest) -> String {
        let at = UNIX_EPOCH + Duration::from_secs(1_800_000_001);
        convert::reference::otlp(request, Protocol::OtlpGrpc, 4317, at)
            .iter()
            .map(|line| serde_json::to_string(line).unwrap() + "\n")
            .collect()
    }

    fn written(request: &ExportTraceServiceRequest) -> String {
        let at = UNIX_EPOCH + Duration::from_secs(1_800_000_001);
        let batch = Batch::Otlp {
            request: request.clone(),
            protocol: Protocol::OtlpGrpc,
        };
        let mut out = String::new();
        push_batch(&mut out, &batch, &convert::rfc3339(at), 4317);
        out
    }

    #[test]
    fn otlp_lines_are_byte_for_byte_what_serde_json_writes() {
        use any_value::Value as V;
        let nested = KeyValueList {
            values: vec![
                kv("z", V::BoolValue(false)),
                kv("a", V::DoubleValue(f64::NAN)),
            ],
        };
        let attributes = vec![
            kv(
                "quote\"and\\slash",
                V::StringValue("tab\t nl\n \u{1} é \u{7f}".into()),
            ),
            kv("b", V::BytesValue(vec![0, 0xff])),
            kv("d", V::DoubleValue(1e21)),
            kv("d", V::DoubleValue(0.5)),
            kv(
                "arr",
                V::ArrayValue(ArrayValue {
                    values: vec![
                        AnyValue { value: None },
                        AnyValue {
                            value: Some(V::IntValue(-3)),
                        },
                    ],
                }),
            ),
            kv("kv", V::KvlistValue(nested)),
            KeyValue {
                key: "none".into(),
                ..Default::default()
            },
        ];
        let mut r = request(attributes, "GET /\"x\"");
        r.resource_spans[0].scope_spans[0].spans[1].trace_id = vec![1, 2, 3];
        r.resource_spans[0].scope_spans[0].spans[2].parent_span_id = vec![];
        assert_eq!(written(&r), reference(&r));
        let sorted = request(vec![], "op");
        assert_eq!(written(&sorted), reference(&sorted));
    }

    #[test]
    fn integers_are_written_as_write_writes_them() {
        for n in [0, 9, 10, 4317, u64::MAX] {
            let mut out = String::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string());
        }
        for n in [i64::MIN, -1, 0, i64::MAX] {
            let mut out = String::new();
            push_i64(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    proptest! {
        #[test]
        fn any_attributes_are_written_as_serde_json_writes_them(
            pairs in proptest::collection::vec(("[a-c\"\\\\\\x00-\\x1f]{0,3}", any::<i64>(), any::<f64>(), "\\PC{0,4}"), 0..6)
        ) {
            use any_value::Value as V;
            let attributes = pairs.iter().enumerate().map(|(i, (k, n, d, s))| match i % 3 {
                0 => kv(k, V::IntValue(*n)),
                1 => kv(k, V::DoubleValue(*d)),
                _ => kv(k, V::StringValue(s.clone())),
            }).collect();
            let r = request(attributes, "p");
            prop_assert_eq!(written(&r), reference(&r));
        }
    }
}
