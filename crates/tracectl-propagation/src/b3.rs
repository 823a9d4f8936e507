//! Zipkin B3: the single `b3` header and the `X-B3-*` multi headers.

use crate::hex;
use crate::{Decoded, Kind};

/// `b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]`, or only `0`, `1` or `d`.
pub(crate) fn single(v: &str, d: &mut Decoded) {
    if sampling_state(v, d) {
        return;
    }
    let fields: Vec<&str> = v.split('-').collect();
    if !(2..=4).contains(&fields.len()) {
        d.error(
            "field-count",
            None,
            format!(
                "expected TraceId-SpanId[-SamplingState[-ParentSpanId]] or only 0, 1 or d; \
                 found {} fields separated by `-`",
                fields.len()
            ),
        );
        return;
    }
    let mut col = 0;
    let mut next_col = |f: &str| {
        let c = col;
        col += f.len() + 1;
        c
    };
    let trace = fields.first().copied().unwrap_or_default();
    let trace_col = next_col(trace);
    trace_id(d, trace, trace_col);
    let span = fields.get(1).copied().unwrap_or_default();
    let span_col = next_col(span);
    d.span_id = span_id(d, span, span_col, "SpanId");
    if let Some(state) = fields.get(2) {
        let state_col = next_col(state);
        if !sampling_state(state, d) {
            d.error(
                "bad-sampling-state",
                Some(state_col),
                format!("the sampling state `{state}` is not 1 (accept), 0 (deny) or d (debug)"),
            );
        }
    } else {
        deferred(d);
    }
    if let Some(parent) = fields.get(3) {
        let parent_col = next_col(parent);
        d.parent_span_id = span_id(d, parent, parent_col, "ParentSpanId");
    }
}

/// Reads `0`, `1` or `d` into the decision; false when `s` is none of them.
fn sampling_state(s: &str, d: &mut Decoded) -> bool {
    let (sampled, debug) = match s {
        "0" => (false, false),
        "1" => (true, false),
        "d" => (true, true),
        _ => return false,
    };
    d.sampled = Some(sampled);
    d.debug = Some(debug);
    true
}

fn deferred(d: &mut Decoded) {
    d.warn(
        "deferred-sampling",
        None,
        "no sampling decision: the receiver decides, so services may disagree about keeping the trace"
            .to_string(),
    );
}

fn trace_id(d: &mut Decoded, s: &str, col: usize) {
    d.trace_id = hex::lower_field(d, s, col, "TraceId", &[16, 32]);
    match d.trace_id {
        Some(0) => d.error(
            "zero-trace-id",
            Some(col),
            "the TraceId is all zeros, which is invalid".to_string(),
        ),
        Some(_) if s.len() == 16 => d.warn(
            "trace-id-64-bit",
            Some(col),
            "the TraceId has 64 bits: W3C and OpenTelemetry left-pad it to 128 bits, and systems \
             that keep 128 bits may not join it"
                .to_string(),
        ),
        _ => {}
    }
}

fn span_id(d: &mut Decoded, s: &str, col: usize, what: &str) -> Option<u64> {
    let id = hex::lower_field(d, s, col, what, &[16]).and_then(|n| u64::try_from(n).ok());
    if id == Some(0) {
        d.error(
            "zero-span-id",
            Some(col),
            format!("the {what} is all zeros, which is invalid"),
        );
    }
    id
}

/// One `X-B3-*` header.
pub(crate) fn multi(kind: Kind, v: &str, d: &mut Decoded) {
    if v.is_empty() {
        d.error(
            "empty-value",
            None,
            "the header is empty, which B3 treats as malformed; omit the header instead"
                .to_string(),
        );
        return;
    }
    match kind {
        Kind::B3TraceId => trace_id(d, v, 0),
        Kind::B3SpanId => d.span_id = span_id(d, v, 0, "SpanId"),
        Kind::B3ParentSpanId => d.parent_span_id = span_id(d, v, 0, "ParentSpanId"),
        Kind::B3Sampled => match v {
            "1" | "0" => d.sampled = Some(v == "1"),
            "true" | "false" => {
                d.sampled = Some(v == "true");
                d.warn(
                    "lenient-sampled",
                    Some(0),
                    format!(
                        "`{v}` is accepted only by lenient readers; B3 says 1 or 0: send {}",
                        if v == "true" { 1 } else { 0 }
                    ),
                );
            }
            _ => d.error(
                "bad-sampled",
                Some(0),
                format!("X-B3-Sampled `{v}` is not 1 (accept) or 0 (deny)"),
            ),
        },
        Kind::B3Flags => match v {
            "1" => {
                d.debug = Some(true);
                d.sampled = Some(true);
            }
            "0" => {
                d.debug = Some(false);
                d.warn(
                    "flags-zero",
                    Some(0),
                    "X-B3-Flags: 0 means nothing; send X-B3-Flags: 1 for debug, or omit it"
                        .to_string(),
                );
            }
            _ => d.error(
                "bad-flags",
                Some(0),
                format!("X-B3-Flags `{v}` is not 1 (debug)"),
            ),
        },
        _ => {}
    }
}
