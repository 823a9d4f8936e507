//! The short tree view of a trace shown by `tracectl analyze` in human output (plain text; the
//! caller decides on styling).

use std::collections::{HashMap, HashSet};

use super::model::{Parent, Span, TraceSet, index_by_id};
use super::parents::{cycles, duplicate_ids};

/// Spans shown per trace before the rest is summarised in one line.
pub const MAX_LINES: usize = 30;

/// The lines of trace `index`: a heading, then one line per span, children indented under their
/// parent, at most [`MAX_LINES`] spans. Spans in a parent cycle, which no root leads to, are
/// drawn after the roots from the cycle's first span, and marked; so are shared span ids.
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
    let cycled = cycles(trace);
    let marks = Marks {
        in_cycle: cycled.iter().flatten().copied().collect(),
        shared: duplicate_ids(trace).into_iter().map(|(id, _)| id).collect(),
    };
    roots.extend(cycled.iter().map(|c| c[0]));
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
        out.push(format!(
            "{lead}{}",
            describe(set, i, trace, start, (&ids, &marks))
        ));
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

/// What the parent links make of some spans: members of a cycle, ids held by several spans.
struct Marks {
    in_cycle: HashSet<usize>,
    shared: HashSet<u64>,
}

fn describe(
    set: &TraceSet,
    i: usize,
    trace: &[Span],
    trace_start: i64,
    (ids, marks): (&HashMap<u64, usize>, &Marks),
) -> String {
    let span = &trace[i];
    let host = match set.str(span.host) {
        "" => String::new(),
        h => format!("  @{h}"),
    };
    let mut note = match span.parent {
        Parent::Zero => "  (parent id all zeros)".to_string(),
        Parent::Id(p) if p == span.span_id => "  (its own parent)".to_string(),
        Parent::Id(p) if !ids.contains_key(&p) => format!("  (parent {p:016x} not in trace)"),
        _ if marks.in_cycle.contains(&i) => "  (in a parent cycle)".to_string(),
        _ => String::new(),
    };
    if marks.shared.contains(&span.span_id) {
        note.push_str(&format!(
            "  (span id {:016x} held by several spans)",
            span.span_id
        ));
    }
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

    fn line(span: &str, parent: &str, name: &str) -> String {
        format!(
            r#"{{"service":"s","name":"{name}","trace_id":"a1","span_id":"{span}","parent_span_id":"{parent}","start_unix_nano":0,"end_unix_nano":1000000}}"#
        ) + "\n"
    }

    #[test]
    fn spans_in_a_parent_cycle_are_drawn_and_marked() {
        let input = line("01", "", "root")
            + &line("02", "03", "a")
            + &line("03", "02", "b")
            + &line("04", "04", "self");
        let set = crate::trace::read(input.as_bytes()).unwrap();
        let shown = lines(&set, 0);
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert!(
            shown[2].contains("s: self") && shown[2].contains("(its own parent)"),
            "{shown:#?}"
        );
        assert!(
            shown[3].contains("s: a") && shown[3].contains("(in a parent cycle)"),
            "{shown:#?}"
        );
        assert!(
            shown[4].contains("└─ s: b  ") && shown[4].contains("(in a parent cycle)"),
            "{shown:#?}"
        );
    }

    #[test]
    fn shared_span_ids_are_marked() {
        let input = line("01", "", "one") + &line("01", "", "two");
        let set = crate::trace::read(input.as_bytes()).unwrap();
        let shown = lines(&set, 0);
        assert!(
            shown[1..]
                .iter()
                .all(|l| l.contains("(span id 0000000000000001 held by several spans)")),
            "{shown:#?}"
        );
    }
}
