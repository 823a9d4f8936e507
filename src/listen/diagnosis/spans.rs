//! Findings about the spans received: unnamed services, invalid ids, clock skew against the
//! receive time, children that start before their parent, and parents that never arrive.

use std::time::{SystemTime, UNIX_EPOCH};

use super::catalog::{CHILD_BEFORE_PARENT, CLOCK_SKEW, INVALID_IDS, ORPHAN, SERVICE_NAME};
use super::memory::Remembered;
use super::{Diagnoser, Reported, port_of, sender};
use crate::listen::Received;
use crate::listen::span_ref::SpanRef;
use crate::report::{Draft, Finding};

impl Diagnoser {
    /// Findings about the spans of one request or datagram.
    pub fn spans(&mut self, r: &Received) -> Vec<Finding> {
        let mut out = Vec::new();
        let received = signed_nanos(r.at);
        r.batch
            .for_each(|span| self.span(&span, r, received, &mut out));
        out
    }

    /// `received` is the receive time in Unix nanoseconds.
    fn span(&mut self, span: &SpanRef<'_>, r: &Received, received: i128, out: &mut Vec<Finding>) {
        let origin = &r.origin;
        let who = || sender(origin, Some(span.service));
        if is_unknown_service(span.service) {
            let who = who();
            let draft = Draft::new(
                &who,
                format!("spans arrive on {} with service name {:?}: the sender did not name its service.", port_of(origin), span.service),
                "set OTEL_SERVICE_NAME=<service> (JAEGER_SERVICE_NAME for Jaeger clients)",
            )
            .evidence("service", span.service)
            .evidence("protocol", span.protocol)
            .evidence("sender", origin.peer.ip().to_string());
            out.extend(self.reported.once(
                &SERVICE_NAME,
                format!("{who}|{}", span.protocol),
                draft,
            ));
        }
        let nonzero = |bytes: &[u8]| bytes.iter().any(|b| *b != 0);
        let key = span
            .trace_id
            .bytes::<16>()
            .zip(span.span_id.bytes::<8>())
            .filter(|(trace, id)| nonzero(trace) && nonzero(id));
        if key.is_none() {
            let who = who();
            let (trace_id, span_id) = (span.trace_id.to_hex(), span.span_id.to_hex());
            let draft = Draft::new(
                &who,
                format!("sent span {:?} with trace id {trace_id:?} and span id {span_id:?}; ids must be 16 and 8 bytes, not all zero.", span.name),
                "let the SDK generate ids, and check the propagator that fed this one",
            )
            .evidence("trace_id", trace_id)
            .evidence("span_id", span_id);
            out.extend(self.reported.once(&INVALID_IDS, who, draft));
        }
        let offset = i128::from(span.end_unix_nano) - received;
        let threshold = i128::try_from(self.skew_threshold.as_nanos()).unwrap_or(i128::MAX);
        if offset.abs() > threshold && span.end_unix_nano != 0 {
            out.extend(self.skew(span, offset, &who()));
        }
        if let Some(key) = key {
            let reported = &mut self.reported;
            self.lineage.add(span, key, origin, |child, parent| {
                out.extend(order(reported, child, parent));
            });
        }
    }

    fn skew(&mut self, span: &SpanRef<'_>, offset: i128, who: &str) -> Option<Finding> {
        let ms = i64::try_from(offset / 1_000_000).unwrap_or(i64::MAX);
        let direction = if offset > 0 { "after" } else { "before" };
        let draft = Draft::new(
            who,
            format!(
                "span {:?} ends {} ms {direction} it was received, more than the {} ms threshold: the sender's clock is off (or its spans were held back).",
                span.name,
                ms.unsigned_abs(),
                self.skew_threshold.as_millis()
            ),
            "synchronise the sender's clock (chrony, systemd-timesyncd); raise --skew-threshold if spans are held back on purpose",
        )
        .evidence("skew_ms", ms)
        .evidence("threshold_ms", u64::try_from(self.skew_threshold.as_millis()).unwrap_or(u64::MAX))
        .evidence("span", span.name);
        self.reported.once(&CLOCK_SKEW, who.to_owned(), draft)
    }

    /// Orphans waiting longer than the grace period (all of them when `all`).
    pub fn orphans(&mut self, all: bool) -> Vec<Finding> {
        let mut out = Vec::new();
        for orphans in self.lineage.orphans(all) {
            let w = &orphans.example;
            let who = sender(&w.origin, Some(&w.child.service));
            let (trace, parent) = (hex::encode(orphans.key.0), hex::encode(orphans.key.1));
            let draft = Draft::new(
                &who,
                format!("{} span(s) name a parent that never arrived, e.g. {:?} in trace {trace} with parent {parent}.", orphans.count, w.child.name),
                "make every service in the request path export to the same receiver with a parent-based sampler (OTEL_TRACES_SAMPLER=parentbased_always_on)",
            )
            .evidence("spans", orphans.count)
            .evidence("trace_id", trace)
            .evidence("parent_span_id", parent);
            out.extend(self.reported.once(&ORPHAN, who, draft));
        }
        out
    }
}

/// The finding when `child` starts before `parent`.
fn order(reported: &mut Reported, child: &Remembered, parent: &Remembered) -> Option<Finding> {
    if child.start >= parent.start {
        return None;
    }
    let early_us = (parent.start - child.start) / 1000;
    let draft = Draft::new(
        format!("service {:?}", child.service),
        format!(
            "span {:?} of service {:?} starts {early_us} µs before its parent {:?} of service {:?}: their clocks disagree.",
            child.name, child.service, parent.name, parent.service
        ),
        "synchronise the clocks of both services' hosts; check code that sets start times by hand",
    )
    .evidence("child", child.name.to_string())
    .evidence("parent", parent.name.to_string())
    .evidence("early_us", early_us);
    reported.once(
        &CHILD_BEFORE_PARENT,
        format!("{}|{}", child.service, parent.service),
        draft,
    )
}

fn is_unknown_service(service: &str) -> bool {
    service.trim().is_empty()
        || service == "unknown_service"
        || service.starts_with("unknown_service:")
}

fn signed_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
        Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}
