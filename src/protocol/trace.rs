//! A protocol-neutral trace: what `send-test-span` builds once and every encoder translates.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// A trace of one service: the resource it runs in and its spans, root first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    pub service: String,
    /// Resource attributes other than `service.name`.
    pub resource: Vec<Attr>,
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    #[serde(with = "hex_bytes")]
    pub trace_id: [u8; 16],
    #[serde(with = "hex_bytes")]
    pub span_id: [u8; 8],
    #[serde(with = "hex_opt")]
    pub parent_span_id: Option<[u8; 8]>,
    pub name: String,
    pub kind: SpanKind,
    pub start_unix_nano: u64,
    pub end_unix_nano: u64,
    pub attributes: Vec<Attr>,
    pub events: Vec<Event>,
    pub status: Status,
}

/// What a span represents, as in OTLP (Jaeger and Zipkin carry it as a tag or a field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

impl SpanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::Internal => "internal",
            SpanKind::Server => "server",
            SpanKind::Client => "client",
            SpanKind::Producer => "producer",
            SpanKind::Consumer => "consumer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Unset,
    Ok,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attr {
    pub key: String,
    pub value: AttrValue,
}

/// A typed attribute value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AttrValue {
    String(String),
    Int(i64),
    Double(f64),
    Bool(bool),
}

impl AttrValue {
    /// The type a command-line value reads as: `true`/`false`, an integer, a float, else a string.
    pub fn infer(text: &str) -> AttrValue {
        if let Ok(b) = text.parse::<bool>() {
            AttrValue::Bool(b)
        } else if let Ok(i) = text.parse::<i64>() {
            AttrValue::Int(i)
        } else if let Some(f) = text.parse::<f64>().ok().filter(|f| f.is_finite()) {
            AttrValue::Double(f)
        } else {
            AttrValue::String(text.to_owned())
        }
    }
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrValue::String(s) => f.write_str(s),
            AttrValue::Int(i) => write!(f, "{i}"),
            AttrValue::Double(d) => write!(f, "{d}"),
            AttrValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl Attr {
    pub fn new(key: &str, value: AttrValue) -> Attr {
        Attr {
            key: key.to_owned(),
            value,
        }
    }

    /// Parses `key=value` with the value's type inferred, or says why it cannot.
    pub fn parse(text: &str) -> Result<Attr, String> {
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok(Attr::new(k.trim(), AttrValue::infer(v))),
            _ => Err(format!(
                "`{text}` is not key=value; write it as e.g. user.id=42"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub name: String,
    pub time_unix_nano: u64,
}

/// A W3C trace context to continue: the trace id, the parent span id and the sampled flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parent {
    pub trace_id: [u8; 16],
    pub span_id: [u8; 8],
    pub sampled: bool,
}

impl Parent {
    /// Parses a `traceparent` header value by the rules `decode-header` applies (the
    /// `tracectl-propagation` parser): version 00, or a later version read as 00; lowercase hex;
    /// non-zero ids. Warnings (reserved flag bits, a 64-bit trace id) do not refuse it.
    pub fn parse(text: &str) -> Result<Parent, String> {
        let options = tracectl_propagation::Options::default();
        let decoded = tracectl_propagation::decode(
            Some(tracectl_propagation::Kind::TraceParent),
            None,
            text.trim(),
            &options,
        );
        let fields = (decoded.trace_id, decoded.span_id, decoded.sampled);
        match fields {
            (Some(trace_id), Some(span_id), Some(sampled)) if decoded.is_valid() => Ok(Parent {
                trace_id: trace_id.to_be_bytes(),
                span_id: span_id.to_be_bytes(),
                sampled,
            }),
            _ => {
                let why: Vec<&str> = decoded.errors.iter().map(|e| e.message.as_str()).collect();
                Err(format!(
                    "`{text}` is not a traceparent ({}); expected 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>",
                    why.join("; ")
                ))
            }
        }
    }
}

/// A span's `traceparent`, to continue the trace from it.
pub fn traceparent(trace_id: &[u8; 16], span_id: &[u8; 8]) -> String {
    format!("00-{}-{}-01", hex::encode(trace_id), hex::encode(span_id))
}

/// What to put in a synthetic trace.
#[derive(Debug, Clone)]
pub struct Shape {
    pub service: String,
    pub name: String,
    pub kind: SpanKind,
    pub attributes: Vec<Attr>,
    pub resource: Vec<Attr>,
    pub events: Vec<String>,
    pub status: Status,
    /// How many spans: one root and `spans - 1` children (at least 1).
    pub spans: usize,
    pub parent: Option<Parent>,
}

/// Fresh random ids: non-zero, as the W3C and every backend require.
pub fn random_trace_id() -> [u8; 16] {
    loop {
        let id: [u8; 16] = rand::random();
        if id != [0; 16] {
            return id;
        }
    }
}

pub fn random_span_id() -> [u8; 8] {
    loop {
        let id: [u8; 8] = rand::random();
        if id != [0; 8] {
            return id;
        }
    }
}

fn unix_nanos(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl Trace {
    /// A trace of `shape.spans` spans ending at `end`: the root lasts 1 ms per span, and each
    /// child runs inside it, one after another, 1 ms each (minus a small gap).
    pub fn synthetic(shape: &Shape, end: SystemTime) -> Trace {
        let count = shape.spans.max(1);
        let slot = Duration::from_millis(1);
        let step = u64::try_from(slot.as_nanos()).unwrap_or(1_000_000);
        let end_ns = unix_nanos(end);
        let root_start = end_ns.saturating_sub(step * count as u64);
        let trace_id = shape.parent.map_or_else(random_trace_id, |p| p.trace_id);
        let root_id = random_span_id();
        let events = |at: u64| {
            shape
                .events
                .iter()
                .map(|name| Event {
                    name: name.clone(),
                    time_unix_nano: at,
                })
                .collect::<Vec<_>>()
        };
        let mut spans = vec![Span {
            trace_id,
            span_id: root_id,
            parent_span_id: shape.parent.map(|p| p.span_id),
            name: shape.name.clone(),
            kind: shape.kind,
            start_unix_nano: root_start,
            end_unix_nano: end_ns,
            attributes: shape.attributes.clone(),
            events: events(root_start + step / 2),
            status: shape.status,
        }];
        for i in 1..count {
            let start = root_start + step * (i as u64 - 1) + step / 10;
            spans.push(Span {
                trace_id,
                span_id: random_span_id(),
                parent_span_id: Some(root_id),
                name: format!("{} child {i}", shape.name),
                kind: SpanKind::Internal,
                start_unix_nano: start,
                end_unix_nano: start + step * 8 / 10,
                attributes: shape.attributes.clone(),
                events: Vec::new(),
                status: Status::Unset,
            });
        }
        Trace {
            service: shape.service.clone(),
            resource: shape.resource.clone(),
            spans,
        }
    }
}

mod hex_bytes {
    pub fn serialize<S: serde::Serializer, const N: usize>(
        id: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(id))
    }
}

mod hex_opt {
    pub fn serialize<S: serde::Serializer>(id: &Option<[u8; 8]>, s: S) -> Result<S::Ok, S::Error> {
        match id {
            Some(id) => s.serialize_str(&hex::encode(id)),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn shape(spans: usize) -> Shape {
        Shape {
            service: "svc".into(),
            name: "op".into(),
            kind: SpanKind::Server,
            attributes: vec![Attr::new("n", AttrValue::Int(1))],
            resource: vec![],
            events: vec!["ev".into()],
            status: Status::Ok,
            spans,
            parent: None,
        }
    }

    #[test]
    fn children_point_at_the_root_and_run_inside_it() {
        let t = Trace::synthetic(&shape(4), SystemTime::now());
        assert_eq!(t.spans.len(), 4);
        let root = &t.spans[0];
        assert_eq!(root.parent_span_id, None);
        for c in &t.spans[1..] {
            assert_eq!(c.parent_span_id, Some(root.span_id));
            assert_eq!(c.trace_id, root.trace_id);
            assert!(c.start_unix_nano >= root.start_unix_nano);
            assert!(c.end_unix_nano <= root.end_unix_nano);
            assert!(c.start_unix_nano < c.end_unix_nano);
        }
    }

    #[test]
    fn a_parent_continues_its_trace() {
        let p = Parent::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap();
        let t = Trace::synthetic(
            &Shape {
                parent: Some(p),
                ..shape(1)
            },
            SystemTime::now(),
        );
        assert_eq!(t.spans[0].trace_id, p.trace_id);
        assert_eq!(t.spans[0].parent_span_id, Some(p.span_id));
        assert!(p.sampled);
    }

    #[test]
    fn bad_traceparents_are_refused() {
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
        ] {
            assert!(Parent::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_parent_is_refused_where_decode_header_refuses_it() {
        for bad in [
            "zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
        ] {
            let err = Parent::parse(bad).unwrap_err();
            assert!(
                err.starts_with(&format!("`{bad}` is not a traceparent (")),
                "{err}"
            );
        }
        let future = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-more";
        assert!(!Parent::parse(future).unwrap().sampled);
    }

    #[test]
    fn values_are_typed() {
        assert_eq!(AttrValue::infer("42"), AttrValue::Int(42));
        assert_eq!(AttrValue::infer("4.5"), AttrValue::Double(4.5));
        assert_eq!(AttrValue::infer("true"), AttrValue::Bool(true));
        assert_eq!(AttrValue::infer("abc"), AttrValue::String("abc".into()));
        assert_eq!(AttrValue::infer("NaN"), AttrValue::String("NaN".into()));
        assert!(Attr::parse("=x").is_err());
        assert_eq!(
            Attr::parse("a=b=c").unwrap().value,
            AttrValue::String("b=c".into())
        );
    }
}
