//! A borrowed view of one received span, whatever carried it: what the statistics, the renderers
//! and the diagnoses read, without copying the decoded request. OTLP requests are viewed in place
//! (ids stay bytes); Jaeger and Zipkin spans are viewed through their [`SpanLine`]s.

use opentelemetry_proto::tonic::common::v1::{KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::ResourceSpans;
use opentelemetry_proto::tonic::trace::v1::span::SpanKind as PbKind;
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use serde_json::{Map, Value};

use super::{Batch, Protocol};
use crate::trace::span_line::SpanLine;

/// A trace or span id as it arrived: raw bytes (OTLP) or hex text (converted protocols).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Id<'a> {
    Bytes(&'a [u8]),
    Hex(&'a str),
}

impl Id<'_> {
    /// The id as exactly `N` bytes; `None` when it has another length or is not hex.
    pub fn bytes<const N: usize>(&self) -> Option<[u8; N]> {
        match self {
            Id::Bytes(b) => <[u8; N]>::try_from(*b).ok(),
            Id::Hex(text) => {
                let mut out = [0u8; N];
                hex::decode_to_slice(text, &mut out).ok().map(|()| out)
            }
        }
    }

    /// Appends the id as lowercase hex (hex text as sent).
    pub fn push_hex(&self, out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        match self {
            Id::Bytes(bytes) => {
                // Through a stack buffer: one push_str per 32 bytes instead of a push per digit.
                for chunk in bytes.chunks(32) {
                    let mut buf = [0u8; 64];
                    for (pair, b) in buf.chunks_exact_mut(2).zip(chunk) {
                        pair.copy_from_slice(&[
                            DIGITS[usize::from(b >> 4)],
                            DIGITS[usize::from(b & 0x0f)],
                        ]);
                    }
                    let digits = buf.get(..chunk.len() * 2).unwrap_or_default();
                    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
                }
            }
            Id::Hex(text) => out.push_str(text),
        }
    }

    pub fn to_hex(self) -> String {
        let mut out = String::new();
        self.push_hex(&mut out);
        out
    }
}

/// Span or resource attributes as they arrived.
#[derive(Debug, Clone, Copy)]
pub enum Attrs<'a> {
    Otlp(&'a [KeyValue]),
    Json(&'a Map<String, Value>),
}

#[derive(Debug, Clone, Copy)]
pub struct SpanRef<'a> {
    pub protocol: &'a str,
    pub service: &'a str,
    pub name: &'a str,
    pub trace_id: Id<'a>,
    pub span_id: Id<'a>,
    pub parent_span_id: Option<Id<'a>>,
    pub kind: &'a str,
    pub start_unix_nano: u64,
    pub end_unix_nano: u64,
    pub status: &'a str,
    pub attributes: Attrs<'a>,
    pub resource: Attrs<'a>,
}

impl SpanRef<'_> {
    pub fn duration_nanos(&self) -> u64 {
        self.end_unix_nano.saturating_sub(self.start_unix_nano)
    }
}

/// The `service.name` resource attribute as a string (the last one when repeated), or "".
pub fn otlp_service(rs: &ResourceSpans) -> &str {
    rs.resource
        .as_ref()
        .and_then(|r| {
            r.attributes
                .iter()
                .rev()
                .find(|kv| kv.key == "service.name")
        })
        .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
            any_value::Value::StringValue(s) => Some(s.as_str()),
            _ => None,
        })
        .unwrap_or_default()
}

pub fn otlp_kind(kind: i32) -> &'static str {
    match PbKind::try_from(kind) {
        Ok(PbKind::Internal) => "internal",
        Ok(PbKind::Server) => "server",
        Ok(PbKind::Client) => "client",
        Ok(PbKind::Producer) => "producer",
        Ok(PbKind::Consumer) => "consumer",
        _ => "unspecified",
    }
}

/// Calls `f` with every span of one OTLP resource, viewed in place. (Plain loops: a chain of
/// flattening iterators copies its state for every span, which showed in profiles.)
pub fn for_each_otlp<'a>(
    rs: &'a ResourceSpans,
    protocol: Protocol,
    f: &mut impl FnMut(SpanRef<'a>),
) {
    let service = otlp_service(rs);
    let resource = Attrs::Otlp(rs.resource.as_ref().map_or(&[], |r| &r.attributes));
    for span in rs.scope_spans.iter().flat_map(|ss| &ss.spans) {
        f(SpanRef {
            protocol: protocol.as_str(),
            service,
            name: &span.name,
            trace_id: Id::Bytes(&span.trace_id),
            span_id: Id::Bytes(&span.span_id),
            parent_span_id: (!span.parent_span_id.is_empty())
                .then_some(Id::Bytes(&span.parent_span_id)),
            kind: otlp_kind(span.kind),
            start_unix_nano: span.start_time_unix_nano,
            end_unix_nano: span.end_time_unix_nano,
            status: match span.status.as_ref().map(|s| s.code()) {
                Some(StatusCode::Ok) => "ok",
                Some(StatusCode::Error) => "error",
                _ => "unset",
            },
            attributes: Attrs::Otlp(&span.attributes),
            resource,
        });
    }
}

pub fn of_line(line: &SpanLine) -> SpanRef<'_> {
    SpanRef {
        protocol: &line.protocol,
        service: &line.service,
        name: &line.name,
        trace_id: Id::Hex(&line.trace_id),
        span_id: Id::Hex(&line.span_id),
        parent_span_id: line.parent_span_id.as_deref().map(Id::Hex),
        kind: &line.kind,
        start_unix_nano: line.start_unix_nano,
        end_unix_nano: line.end_unix_nano,
        status: &line.status,
        attributes: Attrs::Json(&line.attributes),
        resource: Attrs::Json(&line.resource),
    }
}

impl Batch {
    pub fn len(&self) -> usize {
        match self {
            Batch::Otlp { request, .. } => request
                .resource_spans
                .iter()
                .flat_map(|rs| &rs.scope_spans)
                .map(|ss| ss.spans.len())
                .sum(),
            Batch::Lines(lines) => lines.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with every span, in the order received.
    pub fn for_each<'a>(&'a self, mut f: impl FnMut(SpanRef<'a>)) {
        match self {
            Batch::Otlp { request, protocol } => {
                for rs in &request.resource_spans {
                    for_each_otlp(rs, *protocol, &mut f);
                }
            }
            Batch::Lines(lines) => lines.iter().map(of_line).for_each(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_the_same_from_bytes_and_hex() {
        let bytes = [0xabu8, 0x01, 0, 0xff, 1, 2, 3, 4];
        let hex_text = "ab0100ff01020304";
        assert_eq!(Id::Bytes(&bytes).to_hex(), hex_text);
        assert_eq!(Id::Hex(hex_text).bytes::<8>(), Some(bytes));
        assert_eq!(Id::Bytes(&bytes).bytes::<8>(), Some(bytes));
        assert_eq!(Id::Bytes(&bytes).bytes::<16>(), None);
        assert_eq!(Id::Hex("zz0100ff01020304").bytes::<8>(), None);
        assert_eq!(Id::Hex("AB0100FF01020304").bytes::<8>(), Some(bytes));
    }
}
