//! The short tree view of a trace shown by `tracectl analyze` in human output (plain text; the
//! caller decides on styling).

use super::model::{Parent, Span, TraceSet, index_by_id};

/// Spans shown per trace before the rest is summarised in one line.
pub const MAX_LINES: usize = 30;

/// The lines of trace `index`: a heading, then one line per span, children indented under their
/// parent, at most [`MAX_LINES`] spans.
pub fn lines(set: &TraceSet, index: usize) -> Vec<String> {
    let Some(range) = set.traces.get(index) else {
        return Vec::new();
    };
    let trace = &set.spans[range.clone()];
    let ids = index_by_id(trace);
    let mut children = vec![Vec::new(); trace.len()];
    let mut roots = Vec::new();
    for (i, span) in trace.iter().enumerate() {
        match span.parent {
            Parent::Id(p) if ids.get(&p).is_some_and(|&pi| pi != i) => children[ids[&p]].push(i),
            _ => roots.push(i),
        }
    }
    let start = trace.iter().map(|s| s.start).min().unwrap_or(0);
    let end = trace.iter().map(|s| s.end).max().unwrap_or(0);
    let mut services: Vec<&str> = trace.iter().map(|s| set.service(s)).collect();
    services.sort_unstable();
    services.dedup();
    let mut out = vec![format!(
        "trace {:032x} · {} span{} · {} service{} · {}",
        trace[0].trace_id,
        trace.len(),
        if trace.len() == 1 { "" } else { "s" },
        services.len(),
        if services.len() == 1 { "" } else { "s" },
        millis(end.saturating_sub(start))
    )];
    let mut shown = 0;
    let mut stack: Vec<(usize, String, String)> = roots
        .iter()
        .rev()
        .map(|&r| (r, String::new(), String::new()))
        .collect();
    let mut visited = vec![false; trace.len()];
    while let Some((i, lead, rest)) = stack.pop() {
        if std::mem::replace(&mut visited[i], true) {
            continue;
        }
        if shown == MAX_LINES {
            out.push(format!("… {} more spans", trace.len() - shown));
            break;
        }
        shown += 1;
        out.push(format!("{lead}{}", describe(set, &trace[i], start, &ids)));
        let kids = &children[i];
        for (n, &c) in kids.iter().enumerate().rev() {
            let last = n + 1 == kids.len();
            let branch = if last { "└─ " } else { "├─ " };
            let below = if last { "   " } else { "│  " };
            stack.push((c, format!("{rest}{branch}"), format!("{rest}{below}")));
        }
    }
    out
}

fn describe(
    set: &TraceSet,
    span: &Span,
    trace_start: i64,
    ids: &std::collections::HashMap<u64, usize>,
) -> String {
    let host = match set.str(span.host) {
        "" => String::new(),
        h => format!("  @{h}"),
    };
    let note = match span.parent {
        Parent::Zero => "  (parent id all zeros)".to_string(),
        Parent::Id(p) if !ids.contains_key(&p) => format!("  (parent {p:016x} not in trace)"),
        _ => String::new(),
    };
    format!(
        "{}: {}  +{}  {}{host}{note}",
        set.service(span),
        set.str(span.name),
        millis(span.start.saturating_sub(trace_start)),
        millis(span.duration())
    )
}

/// Nanoseconds as `12.345ms`.
fn millis(ns: i64) -> String {
    format!("{:.3}ms", ns as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_drawn_under_their_parents() {
        let input = concat!(
            r#"{"service":"frontend","name":"GET /","trace_id":"a1","span_id":"01","start_unix_nano":0,"end_unix_nano":100000000,"resource":{"host.name":"h1"}}"#,
            "\n",
            r#"{"service":"cart","name":"GetCart","trace_id":"a1","span_id":"02","parent_span_id":"01","start_unix_nano":10000000,"end_unix_nano":60000000}"#,
            "\n",
            r#"{"service":"cart","name":"SELECT","trace_id":"a1","span_id":"03","parent_span_id":"02","start_unix_nano":20000000,"end_unix_nano":30000000}"#,
            "\n",
            r#"{"service":"cart","name":"lost","trace_id":"a1","span_id":"04","parent_span_id":"99","start_unix_nano":20000000,"end_unix_nano":30000000}"#,
            "\n",
        );
        let set = crate::trace::read(input.as_bytes()).unwrap();
        assert_eq!(
            lines(&set, 0),
            [
                "trace 000000000000000000000000000000a1 · 4 spans · 2 services · 100.000ms",
                "frontend: GET /  +0.000ms  100.000ms  @h1",
                "└─ cart: GetCart  +10.000ms  50.000ms",
                "   └─ cart: SELECT  +20.000ms  10.000ms",
                "cart: lost  +20.000ms  10.000ms  (parent 0000000000000099 not in trace)",
            ]
        );
    }
}
