//! Header names receivers ignore but a sender meant as propagation headers: `trace-parent`,
//! `uber_trace_id`, `trace.parent`, `traceparnet`. HTTP names are case-insensitive, so case alone
//! is never a near miss.

use crate::Kind;

/// Names longer than this are never compared letter by letter (the longest header name is 27).
const MAX_COMPARED: usize = 40;

/// A name that is not a propagation header but reads like one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearMiss {
    /// The header the sender most likely meant.
    pub meant: Kind,
    /// The name holds `_`, which proxies such as nginx drop by default.
    pub underscore: bool,
}

/// The propagation header `name` misses by a separator (`-`, `_`, `.` added, dropped or swapped)
/// or a typo (one edit, two for names of ten letters or more; a swap of neighbours is one).
/// `None` for a propagation header's own name and for anything further away.
pub fn near_miss(name: &str) -> Option<NearMiss> {
    if name.len() > MAX_COMPARED || Kind::from_name(name).is_some() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let underscore = lower.contains('_');
    let found = |meant| Some(NearMiss { meant, underscore });
    if lower.len() > 8 && (lower.starts_with("uberctx_") || lower.starts_with("uberctx.")) {
        return found(Kind::UberCtx);
    }
    let bare = strip_separators(&lower);
    let spelled = lower.replace(['_', '.'], "-");
    let mut best: Option<(usize, Kind)> = None;
    for &kind in Kind::ALL.iter().filter(|k| **k != Kind::UberCtx) {
        let canonical = strip_separators(kind.header());
        if canonical == bare {
            return found(kind);
        }
        if canonical.len() < 6 {
            continue;
        }
        let allowed = if canonical.len() >= 10 { 2 } else { 1 };
        let d = distance(spelled.as_bytes(), kind.header().as_bytes(), allowed);
        if d <= allowed && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, kind));
        }
    }
    best.and_then(|(_, kind)| found(kind))
}

/// The name to send instead of `name`: the header's own, or `uberctx-{key}` with the key kept.
pub fn suggestion(name: &str, meant: Kind) -> String {
    match (meant, name.get(8..)) {
        (Kind::UberCtx, Some(key)) => format!("uberctx-{key}"),
        _ => meant.header().to_string(),
    }
}

fn strip_separators(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .collect()
}

/// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
/// substitutions and swaps of neighbours), or `limit + 1` when it is over `limit`.
fn distance(a: &[u8], b: &[u8], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; 3 * width];
    let (mut older, mut prev, mut cur) = (0, width, 2 * width);
    for (j, cell) in rows[prev..prev + width].iter_mut().enumerate() {
        *cell = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        rows[cur] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut d = (rows[prev + j] + cost)
                .min(rows[prev + j + 1] + 1)
                .min(rows[cur + j] + 1);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                d = d.min(rows[older + j - 1] + 1);
            }
            rows[cur + j + 1] = d;
        }
        (older, prev, cur) = (prev, cur, older);
    }
    rows[prev + b.len()].min(limit + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meant(name: &str) -> Option<&'static str> {
        near_miss(name).map(|m| m.meant.header())
    }

    #[test]
    fn separators_added_dropped_or_swapped_are_near_misses() {
        for (name, header) in [
            ("trace-parent", "traceparent"),
            ("trace_parent", "traceparent"),
            ("trace.parent", "traceparent"),
            ("Trace-Parent", "traceparent"),
            ("uber_trace_id", "uber-trace-id"),
            ("ubertraceid", "uber-trace-id"),
            ("X_B3_TraceId", "x-b3-traceid"),
            ("x-b3-parent-span-id", "x-b3-parentspanid"),
            ("x_amzn_trace_id", "x-amzn-trace-id"),
            ("grpc_trace_bin", "grpc-trace-bin"),
            ("uberctx_user", "uberctx-"),
            ("trace-state", "tracestate"),
        ] {
            assert_eq!(meant(name), Some(header), "{name}");
        }
    }

    #[test]
    fn typos_are_near_misses() {
        for (name, header) in [
            ("traceparnet", "traceparent"),
            ("tracepaent", "traceparent"),
            ("traceparents", "traceparent"),
            ("bagage", "baggage"),
            ("x-amz-trace-id", "x-amzn-trace-id"),
            ("tracestat", "tracestate"),
            ("trace-parnet", "traceparent"),
        ] {
            assert_eq!(meant(name), Some(header), "{name}");
        }
    }

    #[test]
    fn real_headers_and_far_names_are_not() {
        for name in [
            "traceparent",
            "TraceParent",
            "uber-trace-id",
            "uberctx-user",
            "host",
            "content-type",
            "te",
            "sw6",
            "b2",
            "grpc-tags-bin",
            "jaeger-baggage",
            "x-request-id",
            "x-cloud-trace-context",
            "elastic-apm-traceparent",
            "sw8-correlation",
            "user-agent",
            "x-forwarded-for",
            "x-trace-id",
            "trace-id",
            "trace_id",
            "x-span-id",
            "x-correlation-id",
            "request-id",
        ] {
            assert_eq!(meant(name), None, "{name}");
        }
        assert_eq!(meant(&"traceparent".repeat(10)), None);
    }

    #[test]
    fn the_suggestion_keeps_a_baggage_key() {
        assert_eq!(suggestion("uberctx_user", Kind::UberCtx), "uberctx-user");
        assert_eq!(suggestion("trace_parent", Kind::TraceParent), "traceparent");
    }

    #[test]
    fn underscores_are_flagged_for_the_proxy_note() {
        assert_eq!(near_miss("trace_parent").map(|m| m.underscore), Some(true));
        assert_eq!(near_miss("trace-parent").map(|m| m.underscore), Some(false));
    }

    #[test]
    fn distance_counts_swaps_as_one_edit() {
        assert_eq!(distance(b"ab", b"ba", 2), 1);
        assert_eq!(distance(b"kitten", b"sitting", 5), 3);
        assert_eq!(distance(b"abc", b"abc", 1), 0);
        assert_eq!(distance(b"a", b"abcd", 1), 2);
    }
}
