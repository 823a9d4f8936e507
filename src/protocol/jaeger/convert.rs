//! A neutral [`Trace`] as a Jaeger `Batch`, by the OpenTelemetry-to-Jaeger mapping: resource
//! attributes become process tags, the kind a `span.kind` tag, the status `otel.status_code`
//! (and `error=true`), events become logs with an `event` field; times are microseconds.

use crate::protocol::trace::{AttrValue, SpanKind, Status, Trace};

use super::model::{Batch, Log, Process, Span, SpanRef, SpanRefType, Tag, TagValue};

fn tag_value(value: &AttrValue) -> TagValue {
    match value {
        AttrValue::String(s) => TagValue::String(s.clone()),
        AttrValue::Int(i) => TagValue::Long(*i),
        AttrValue::Double(d) => TagValue::Double(*d),
        AttrValue::Bool(b) => TagValue::Bool(*b),
    }
}

fn halves(trace_id: &[u8; 16]) -> (i64, i64) {
    let id = u128::from_be_bytes(*trace_id);
    ((id >> 64) as u64 as i64, id as u64 as i64)
}

fn micros(nanos: u64) -> i64 {
    i64::try_from(nanos / 1000).unwrap_or(i64::MAX)
}

pub fn batch_from_trace(trace: &Trace) -> Batch {
    let spans = trace
        .spans
        .iter()
        .map(|s| {
            let (high, low) = halves(&s.trace_id);
            let parent = s.parent_span_id.map_or(0, i64::from_be_bytes);
            let mut tags: Vec<Tag> = s
                .attributes
                .iter()
                .map(|a| Tag::new(&a.key, tag_value(&a.value)))
                .collect();
            if s.kind != SpanKind::Internal {
                tags.push(Tag::new(
                    "span.kind",
                    TagValue::String(s.kind.as_str().to_owned()),
                ));
            }
            match s.status {
                Status::Unset => {}
                Status::Ok => {
                    tags.push(Tag::new("otel.status_code", TagValue::String("OK".into())))
                }
                Status::Error => {
                    tags.push(Tag::new(
                        "otel.status_code",
                        TagValue::String("ERROR".into()),
                    ));
                    tags.push(Tag::new("error", TagValue::Bool(true)));
                }
            }
            let logs: Vec<Log> = s
                .events
                .iter()
                .map(|e| Log {
                    timestamp: micros(e.time_unix_nano),
                    fields: vec![Tag::new("event", TagValue::String(e.name.clone()))],
                })
                .collect();
            Span {
                trace_id_low: low,
                trace_id_high: high,
                span_id: i64::from_be_bytes(s.span_id),
                parent_span_id: parent,
                operation_name: s.name.clone(),
                references: s.parent_span_id.map(|p| {
                    vec![SpanRef {
                        ref_type: SpanRefType::ChildOf,
                        trace_id_low: low,
                        trace_id_high: high,
                        span_id: i64::from_be_bytes(p),
                    }]
                }),
                flags: 1,
                start_time: micros(s.start_unix_nano),
                duration: micros(s.end_unix_nano.saturating_sub(s.start_unix_nano)),
                tags: Some(tags),
                logs: (!logs.is_empty()).then_some(logs),
                incomplete: None,
            }
        })
        .collect();
    let tags: Vec<Tag> = trace
        .resource
        .iter()
        .map(|a| Tag::new(&a.key, tag_value(&a.value)))
        .collect();
    Batch {
        process: Process {
            service_name: trace.service.clone(),
            tags: (!tags.is_empty()).then_some(tags),
        },
        spans,
        seq_no: None,
        stats: None,
    }
}
