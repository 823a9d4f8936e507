//! Findings that need several headers of one request: duplicates, tracestate without a valid
//! traceparent, headers naming different trace ids, incomplete B3 multi headers, and the Datadog
//! trace id completed by `_dd.p.tid`.

use crate::input::Header;
use crate::{Decoded, Details, Kind};

/// Adds the cross-header findings to the headers of one request.
pub fn check(headers: &mut [Header<'_>]) {
    misspelled(headers);
    datadog_tid(headers);
    duplicates(headers);
    tracestate(headers);
    b3_multi(headers);
    trace_id_agreement(headers);
}

fn count(headers: &[Header<'_>], kind: Kind) -> usize {
    headers.iter().filter(|h| h.decoded.kind == kind).count()
}

fn each_of<'h, 'a>(
    headers: &'h mut [Header<'a>],
    kind: Kind,
) -> impl Iterator<Item = &'h mut Decoded> + use<'h, 'a> {
    headers
        .iter_mut()
        .map(|h| &mut h.decoded)
        .filter(move |d| d.kind == kind)
}

/// Datadog sends the lower 64 bits in `x-datadog-trace-id` and the upper ones in `_dd.p.tid`.
fn datadog_tid(headers: &mut [Header<'_>]) {
    let tid = headers.iter().find_map(|h| match h.decoded.details {
        Details::DatadogTags { tid, .. } => tid,
        _ => None,
    });
    let has_parent = count(headers, Kind::DatadogParentId) > 0;
    for d in each_of(headers, Kind::DatadogTraceId) {
        let Some(lower) = d.trace_id else { continue };
        match tid {
            Some(upper) => d.trace_id = Some((u128::from(upper) << 64) | lower),
            None if lower != 0 => d.warn(
                "trace-id-64-bit",
                None,
                "x-datadog-trace-id carries only the lower 64 bits, and there is no _dd.p.tid in \
                 x-datadog-tags for the upper ones: W3C receivers see a trace id padded with zeros"
                    .to_string(),
            ),
            None => {}
        }
        if !has_parent {
            d.warn(
                "missing-parent-id",
                None,
                "there is no x-datadog-parent-id: receivers cannot link their span to the caller"
                    .to_string(),
            );
        }
    }
}

/// A misspelled name next to the header it was meant to be is only noise: a warning.
fn misspelled(headers: &mut [Header<'_>]) {
    let present: Vec<(Kind, Option<&str>)> =
        headers.iter().map(|h| (h.decoded.kind, h.name)).collect();
    for h in headers.iter_mut() {
        let Details::Misspelled { meant } = h.decoded.details else {
            continue;
        };
        let name = h.name.unwrap_or_default();
        let header = crate::names::suggestion(name, meant);
        // uberctx-{key} is one header per key: only the same key makes the near miss noise.
        let carried = present.iter().any(|&(kind, other)| {
            kind == meant
                && (meant != Kind::UberCtx
                    || other.is_some_and(|o| o.eq_ignore_ascii_case(&header)))
        });
        if !carried {
            continue;
        }
        h.decoded.errors.retain(|f| f.code != "misspelled-header");
        h.decoded.warn(
            "misspelled-header",
            None,
            format!(
                "`{name}` looks like a misspelled `{header}`; receivers ignore it and use the \
                 {} header this request also carries: drop it",
                meant.header()
            ),
        );
    }
}

fn duplicates(headers: &mut [Header<'_>]) {
    let traceparents = count(headers, Kind::TraceParent);
    if traceparents > 1 {
        for d in each_of(headers, Kind::TraceParent) {
            d.error(
                "duplicate-traceparent",
                None,
                format!(
                    "the request has {traceparents} traceparent headers; receivers that see more \
                     than one start a new trace: send exactly one"
                ),
            );
        }
    }
    let first_wins = [
        Kind::B3,
        Kind::B3TraceId,
        Kind::B3SpanId,
        Kind::B3ParentSpanId,
        Kind::B3Sampled,
        Kind::B3Flags,
        Kind::UberTraceId,
        Kind::XRay,
        Kind::DatadogTraceId,
        Kind::DatadogParentId,
        Kind::DatadogSamplingPriority,
        Kind::GrpcTraceBin,
        Kind::Sw8,
    ];
    for kind in first_wins {
        for d in each_of(headers, kind).skip(1) {
            d.warn(
                "duplicate-header",
                None,
                format!(
                    "a second {} header: receivers use the first value, so this one is ignored",
                    kind.header()
                ),
            );
        }
    }
}

fn tracestate(headers: &mut [Header<'_>]) {
    combined_tracestate(headers);
    let traceparents = count(headers, Kind::TraceParent);
    let valid = traceparents == 1
        && headers
            .iter()
            .any(|h| h.decoded.kind == Kind::TraceParent && h.decoded.is_valid());
    for d in each_of(headers, Kind::TraceState) {
        if traceparents == 0 {
            d.warn(
                "tracestate-without-traceparent",
                None,
                "there is no traceparent in this request, and receivers discard a tracestate \
                 that comes without a valid one"
                    .to_string(),
            );
        } else if !valid {
            d.error(
                "tracestate-without-valid-traceparent",
                None,
                "the traceparent of this request is invalid, so receivers discard this tracestate \
                 too; fix the traceparent"
                    .to_string(),
            );
        }
    }
}

/// Several tracestate headers are one list (RFC 9110 field order), so the limits apply to the
/// combination; the findings go on the last header.
fn combined_tracestate(headers: &mut [Header<'_>]) {
    if count(headers, Kind::TraceState) < 2 {
        return;
    }
    let (mut members, mut len, mut parts) = (0, 0, 0);
    for h in headers
        .iter()
        .filter(|h| h.decoded.kind == Kind::TraceState)
    {
        if let Details::TraceState(m) = &h.decoded.details {
            members += m.len();
        }
        len += h.value.len();
        parts += 1;
    }
    let len = len + parts - 1;
    let Some(last) = headers
        .iter_mut()
        .rev()
        .find(|h| h.decoded.kind == Kind::TraceState)
    else {
        return;
    };
    if members > 32 {
        last.decoded.error(
            "too-many-members",
            None,
            format!(
                "the {parts} tracestate headers combine into one list of {members} members; \
                 receivers keep at most 32: drop the right-most"
            ),
        );
    }
    if len > 512 {
        last.decoded.warn(
            "tracestate-too-long",
            None,
            format!(
                "the {parts} tracestate headers combine into {len} characters; vendors need \
                 propagate only 512"
            ),
        );
    }
}

fn b3_multi(headers: &mut [Header<'_>]) {
    let trace = count(headers, Kind::B3TraceId);
    let span = count(headers, Kind::B3SpanId);
    let single = count(headers, Kind::B3);
    let decided = count(headers, Kind::B3Sampled) + count(headers, Kind::B3Flags);
    let both = count(headers, Kind::B3Sampled) > 0 && count(headers, Kind::B3Flags) > 0;
    if trace > 0 && span == 0 {
        for d in each_of(headers, Kind::B3TraceId) {
            d.error(
                "b3-incomplete",
                None,
                "X-B3-TraceId comes without X-B3-SpanId; receivers need both".to_string(),
            );
        }
    }
    if span > 0 && trace == 0 {
        for d in each_of(headers, Kind::B3SpanId) {
            d.error(
                "b3-incomplete",
                None,
                "X-B3-SpanId comes without X-B3-TraceId; receivers need both".to_string(),
            );
        }
    }
    if trace > 0 && decided == 0 && single == 0 {
        for d in each_of(headers, Kind::B3TraceId) {
            d.warn(
                "deferred-sampling",
                None,
                "there is no X-B3-Sampled or X-B3-Flags: the receiver decides, so services may \
                 disagree about keeping the trace"
                    .to_string(),
            );
        }
    }
    if both {
        for d in each_of(headers, Kind::B3Sampled) {
            d.warn(
                "sampled-with-debug",
                None,
                "X-B3-Flags: 1 (debug) already implies accept; B3 says not to send X-B3-Sampled too"
                    .to_string(),
            );
        }
    }
    if single > 0 && trace + span > 0 {
        for d in each_of(headers, Kind::B3TraceId) {
            d.warn(
                "b3-single-and-multi",
                None,
                "the request has both a b3 header and X-B3-* headers; the single b3 header wins"
                    .to_string(),
            );
        }
    }
}

/// The kinds that name a request's trace, in the order receivers prefer them.
const TRACE_CARRIERS: &[Kind] = &[
    Kind::TraceParent,
    Kind::B3,
    Kind::B3TraceId,
    Kind::UberTraceId,
    Kind::XRay,
    Kind::DatadogTraceId,
    Kind::GrpcTraceBin,
];

fn trace_id_agreement(headers: &mut [Header<'_>]) {
    let reference = TRACE_CARRIERS.iter().find_map(|&kind| {
        headers.iter().find_map(|h| {
            let d = &h.decoded;
            (d.kind == kind && d.is_valid())
                .then_some(d.trace_id)
                .flatten()
                .map(|id| (kind, id))
        })
    });
    let Some((ref_kind, ref_id)) = reference else {
        return;
    };
    for h in headers.iter_mut() {
        let d = &mut h.decoded;
        if !TRACE_CARRIERS.contains(&d.kind) || d.kind == ref_kind || !d.is_valid() {
            continue;
        }
        let Some(id) = d.trace_id else { continue };
        let same = if d.kind == Kind::DatadogTraceId && id >> 64 == 0 {
            id == ref_id & u128::from(u64::MAX)
        } else {
            id == ref_id
        };
        if !same {
            d.error(
                "trace-id-mismatch",
                None,
                format!(
                    "this header names trace {id:032x}, but the {} header names {ref_id:032x}: \
                     services that read different headers will split the trace",
                    ref_kind.header()
                ),
            );
        }
    }
}
