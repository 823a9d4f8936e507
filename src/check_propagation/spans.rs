//! The spans the service exported, as the verdicts need them: ids, kind, name, service and links.
//! At most [`MAX_SPANS`] are kept; the rest are counted.

use serde::Serialize;

use crate::listen::span_ref::SpanRef;
use crate::listen::{Batch, Received};
use crate::trace::{Parent, TraceSet};

/// Spans kept for judging.
pub const MAX_SPANS: usize = 10_000;

/// One exported span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    #[serde(serialize_with = "hex_trace")]
    pub trace_id: u128,
    #[serde(serialize_with = "hex_span")]
    pub span_id: u64,
    #[serde(serialize_with = "hex_parent")]
    pub parent_id: Option<u64>,
    pub kind: String,
    pub name: String,
    pub service: String,
    /// Linked (trace id, span id) pairs.
    #[serde(skip)]
    pub links: Vec<(u128, u64)>,
    #[serde(skip)]
    pub start_unix_nano: u64,
}

fn hex_trace<S: serde::Serializer>(id: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{id:032x}"))
}

fn hex_span<S: serde::Serializer>(id: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{id:016x}"))
}

fn hex_parent<S: serde::Serializer>(id: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_str(&format!("{id:016x}")),
        None => s.serialize_none(),
    }
}

impl Span {
    fn of(span: &SpanRef<'_>) -> Option<Span> {
        Some(Span {
            trace_id: u128::from_be_bytes(span.trace_id.bytes::<16>()?),
            span_id: u64::from_be_bytes(span.span_id.bytes::<8>()?),
            parent_id: span
                .parent_span_id
                .and_then(|p| p.bytes::<8>())
                .map(u64::from_be_bytes)
                .filter(|p| *p != 0),
            kind: span.kind.to_owned(),
            name: span.name.chars().take(200).collect(),
            service: span.service.chars().take(200).collect(),
            links: Vec::new(),
            start_unix_nano: span.start_unix_nano,
        })
    }

    pub fn is_server(&self) -> bool {
        self.kind == "server"
    }
}

/// Every span kept, in arrival order, and how many were not.
#[derive(Debug, Default)]
pub struct Store {
    pub spans: Vec<Span>,
    pub received: u64,
    pub forgotten: u64,
}

impl Store {
    pub fn add(&mut self, received: &Received) {
        let mut links = otlp_links(&received.batch).into_iter();
        received.batch.for_each(|span| {
            self.received += 1;
            let span_links = links.next().unwrap_or_default();
            match Span::of(&span) {
                Some(mut s) if self.spans.len() < MAX_SPANS => {
                    s.links = span_links;
                    self.spans.push(s);
                }
                _ => self.forgotten += 1,
            }
        });
    }

    pub fn push(&mut self, span: Span) {
        self.received += 1;
        if self.spans.len() < MAX_SPANS {
            self.spans.push(span);
        } else {
            self.forgotten += 1;
        }
    }

    /// Replaces the spans of the traces in `set` with the ones read back from a query service
    /// (which keeps no span kind: `unspecified`). Returns whether anything changed.
    pub fn replace(&mut self, set: &TraceSet) -> bool {
        let traces: Vec<u128> = set.spans.iter().map(|s| s.trace_id).collect();
        let ids = |spans: &mut dyn Iterator<Item = (u128, u64, Option<u64>)>| {
            let mut v: Vec<_> = spans.collect();
            v.sort_unstable();
            v
        };
        let before = ids(&mut self
            .spans
            .iter()
            .filter(|s| traces.contains(&s.trace_id))
            .map(|s| (s.trace_id, s.span_id, s.parent_id)));
        self.spans.retain(|s| !traces.contains(&s.trace_id));
        self.received = self.received.saturating_sub(before.len() as u64);
        for span in &set.spans {
            self.push(Span {
                trace_id: span.trace_id,
                span_id: span.span_id,
                parent_id: match span.parent {
                    Parent::Id(p) => Some(p),
                    Parent::None | Parent::Zero => None,
                },
                kind: "unspecified".to_owned(),
                name: set.str(span.name).chars().take(200).collect(),
                service: set.str(span.service).chars().take(200).collect(),
                links: Vec::new(),
                start_unix_nano: u64::try_from(span.start).unwrap_or(0),
            });
        }
        let after = ids(&mut self
            .spans
            .iter()
            .filter(|s| traces.contains(&s.trace_id))
            .map(|s| (s.trace_id, s.span_id, s.parent_id)));
        before != after
    }

    pub fn in_trace(&self, trace_id: u128) -> impl Iterator<Item = &Span> {
        self.spans.iter().filter(move |s| s.trace_id == trace_id)
    }

    pub fn find(&self, trace_id: u128, span_id: u64) -> Option<&Span> {
        self.in_trace(trace_id).find(|s| s.span_id == span_id)
    }
}

/// The links of every OTLP span, in the order [`Batch::for_each`] visits them (empty for the
/// converted protocols, which carry none here).
fn otlp_links(batch: &Batch) -> Vec<Vec<(u128, u64)>> {
    let Batch::Otlp { request, .. } = batch else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for span in request
        .resource_spans
        .iter()
        .flat_map(|rs| &rs.scope_spans)
        .flat_map(|ss| &ss.spans)
    {
        out.push(
            span.links
                .iter()
                .take(16)
                .filter_map(|l| {
                    let t = <[u8; 16]>::try_from(l.trace_id.as_slice()).ok()?;
                    let s = <[u8; 8]>::try_from(l.span_id.as_slice()).ok()?;
                    Some((u128::from_be_bytes(t), u64::from_be_bytes(s)))
                })
                .collect(),
        );
    }
    out
}
