//! How many bytes a body will take once decoded, read before decoding it, so the memory budget
//! can refuse a request before it allocates (8 MiB of empty OTLP spans decode to gigabytes).
//! OTLP protobuf is walked along its schema without allocating; JSON is estimated from its
//! objects and members; converted span lines are measured.

use std::mem::size_of;

use opentelemetry_proto::tonic::common::v1::{
    AnyValue, ArrayValue, InstrumentationScope, KeyValue, KeyValueList,
};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::span::{Event, Link};
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};

use crate::trace::span_line::SpanLine;

/// What one heap allocation costs beyond its bytes (allocator header and rounding).
const ALLOCATION: usize = 16;
/// Nesting deeper than prost's own recursion limit fails to decode anyway.
const MAX_DEPTH: usize = 100;

/// The OTLP messages the walk descends into.
#[derive(Debug, Clone, Copy)]
enum Message {
    Request,
    ResourceSpans,
    Resource,
    ScopeSpans,
    Scope,
    Span,
    Event,
    Link,
    Status,
    KeyValue,
    AnyValue,
    ArrayValue,
    KeyValueList,
}

impl Message {
    /// The message a length-delimited field holds, `None` for strings and bytes.
    fn field(self, number: u64) -> Option<Message> {
        use Message as M;
        match (self, number) {
            (M::Request, 1) => Some(M::ResourceSpans),
            (M::ResourceSpans, 1) => Some(M::Resource),
            (M::ResourceSpans, 2) => Some(M::ScopeSpans),
            (M::ScopeSpans, 1) => Some(M::Scope),
            (M::ScopeSpans, 2) => Some(M::Span),
            (M::Span, 11) => Some(M::Event),
            (M::Span, 13) => Some(M::Link),
            (M::Span, 15) => Some(M::Status),
            (M::Resource, 1)
            | (M::Scope, 3)
            | (M::Span, 9)
            | (M::Event, 3)
            | (M::Link, 4)
            | (M::KeyValueList, 1) => Some(M::KeyValue),
            (M::KeyValue, 2) | (M::ArrayValue, 1) => Some(M::AnyValue),
            (M::AnyValue, 5) => Some(M::ArrayValue),
            (M::AnyValue, 6) => Some(M::KeyValueList),
            _ => None,
        }
    }

    /// Its decoded size; doubled, since vectors grow by doubling.
    fn size(self) -> usize {
        2 * match self {
            Message::Request => 0,
            Message::ResourceSpans => size_of::<ResourceSpans>(),
            Message::Resource => size_of::<Resource>(),
            Message::ScopeSpans => size_of::<ScopeSpans>(),
            Message::Scope => size_of::<InstrumentationScope>(),
            Message::Span => size_of::<Span>(),
            Message::Event => size_of::<Event>(),
            Message::Link => size_of::<Link>(),
            Message::Status => size_of::<Status>(),
            Message::KeyValue => size_of::<KeyValue>(),
            Message::AnyValue => size_of::<AnyValue>(),
            Message::ArrayValue => size_of::<ArrayValue>(),
            Message::KeyValueList => size_of::<KeyValueList>(),
        }
    }
}

fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(value);
        }
    }
    None
}

fn walk(bytes: &[u8], message: Message, depth: usize, total: &mut usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut at = 0;
    while at < bytes.len() {
        let tag = varint(bytes, &mut at)?;
        match tag & 7 {
            0 => {
                varint(bytes, &mut at)?;
            }
            1 => at += 8,
            5 => at += 4,
            2 => {
                let len = usize::try_from(varint(bytes, &mut at)?).ok()?;
                let end = at.checked_add(len)?;
                let inner = bytes.get(at..end)?;
                match message.field(tag >> 3) {
                    Some(child) => {
                        *total += child.size();
                        walk(inner, child, depth + 1, total)?;
                    }
                    None => *total += len + ALLOCATION,
                }
                at = end;
            }
            _ => return None,
        }
    }
    (at == bytes.len()).then_some(())
}

/// The bytes an OTLP protobuf `ExportTraceServiceRequest` takes decoded. A body that does not
/// parse counts as its own size: decoding it fails before allocating much.
pub fn otlp_protobuf(body: &[u8]) -> usize {
    let mut total = 0;
    match walk(body, Message::Request, 0, &mut total) {
        Some(()) => total,
        None => body.len(),
    }
}

/// The bytes a JSON body takes decoded into structs or maps: every object may become a span
/// (the largest OTLP struct) and every member a map entry.
pub fn json(body: &[u8]) -> usize {
    let (mut objects, mut members) = (0usize, 0usize);
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' => objects += 1,
            b':' => members += 1,
            _ => {}
        }
    }
    body.len() * 2 + objects * Message::Span.size() + members * 2 * size_of::<KeyValue>()
}

/// The bytes a thrift body takes decoded and converted: a span or tag on the wire is at least a
/// tenth of its decoded form, with the required fields jaeger.thrift insists on.
pub fn thrift(body: &[u8]) -> usize {
    body.len().saturating_mul(16)
}

/// The bytes converted span lines take.
pub fn lines(lines: &[SpanLine]) -> usize {
    let entry = |(k, v): (&String, &serde_json::Value)| {
        k.len() + v.as_str().map_or(0, str::len) + 4 * ALLOCATION + size_of::<serde_json::Value>()
    };
    lines
        .iter()
        .map(|l| {
            size_of::<SpanLine>()
                + l.name.len()
                + l.service.len()
                + l.time.len()
                + 8 * ALLOCATION
                + 64
                + l.attributes.iter().map(entry).sum::<usize>()
                + l.resource.iter().map(entry).sum::<usize>()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message as _;

    fn request(spans: usize, name: &str) -> Vec<u8> {
        let span = Span {
            name: name.into(),
            attributes: vec![KeyValue {
                key: "k".into(),
                value: Some(AnyValue::default()),
                ..KeyValue::default()
            }],
            ..Span::default()
        };
        opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                scope_spans: vec![ScopeSpans {
                    spans: vec![span; spans],
                    ..ScopeSpans::default()
                }],
                ..ResourceSpans::default()
            }],
        }
        .encode_to_vec()
    }

    #[test]
    fn protobuf_estimates_follow_the_span_count_not_the_wire_size() {
        let few = otlp_protobuf(&request(10, "x"));
        let many = otlp_protobuf(&request(1000, "x"));
        assert!(many > 90 * few / 10, "{few} {many}");
        assert!(many >= 1000 * 2 * size_of::<Span>());
        // Empty spans: two bytes each on the wire, hundreds decoded.
        let empty = [0x0a, 0x04, 0x12, 0x02, 0x12, 0x00];
        assert!(otlp_protobuf(&empty) >= 2 * size_of::<Span>());
        assert_eq!(otlp_protobuf(&[0xff, 0xff]), 2, "unparseable: its own size");
        let long_name = otlp_protobuf(&request(1, &"n".repeat(4096)));
        assert!(long_name > 4096);
    }

    #[test]
    fn json_estimates_count_objects_and_members_outside_strings() {
        let empty_spans = json(br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{},{},{}]}]}]}"#);
        assert!(empty_spans >= 6 * Message::Span.size());
        let in_string = json(br#"{"a":"{{{{:::\"{{"}"#);
        assert!(in_string < 3 * Message::Span.size());
    }
}
