//! The report of a run: human text, or one JSON document (docs/check-propagation.md).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::calls::CallJson;
use super::run::{Answer, Outcome};
use crate::report::human::render_one_finding;
use crate::rule::Severity;
use crate::style::Style;

/// Version of the JSON document's shape.
pub const SCHEMA_VERSION: u32 = 1;

fn ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

fn count(o: &Outcome, severity: Severity) -> usize {
    o.findings.iter().filter(|f| f.severity == severity).count()
}

pub fn json(o: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut injected = serde_json::Map::new();
    if let Some(first) = o.sent.first() {
        for f in &first.formats {
            let names: &[&str] = match f.as_str() {
                "tracecontext" => &["traceparent", "tracestate"],
                "baggage" => &["baggage"],
                "b3" => &["b3"],
                "b3multi" => &["x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags"],
                "jaeger" => &["uber-trace-id"],
                "xray" => &["x-amzn-trace-id"],
                _ => &[
                    "x-datadog-trace-id",
                    "x-datadog-parent-id",
                    "x-datadog-sampling-priority",
                    "x-datadog-tags",
                ],
            };
            let headers: serde_json::Map<String, Value> = first
                .headers
                .iter()
                .filter(|(n, _)| names.contains(&n.as_str()))
                .map(|(n, v)| (n.clone(), Value::from(v.clone())))
                .collect();
            injected.insert(f.as_str().to_owned(), headers.into());
        }
    }
    let hops: Vec<Value> = o
        .sent
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let hop = o.hops.get(i);
            let server = hop.and_then(|h| h.server).map(|x| &o.store.spans[x]);
            json!({
                "request": i + 1,
                "trace_id": s.trace_hex(),
                "parent_id": s.parent_hex(),
                "sampled": s.sampled,
                "status": match o.answers.get(i) { Some(Answer::Status(c)) => Some(*c), _ => None },
                "server_span": server,
                "downstream": hop.map(|h| h.calls.clone()).unwrap_or_default(),
                "verdicts": o.per_hop.get(i).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let downstream: Vec<CallJson> = o.calls.iter().map(CallJson::from).collect();
    let doc = json!({
        "schema_version": SCHEMA_VERSION,
        "request": {
            "url": o.url,
            "method": o.method,
            "requests": o.sent.len(),
            "injected": injected,
        },
        "hops": hops,
        "spans_seen": o.store.received,
        "spans": o.store.spans.iter().take(100).collect::<Vec<_>>(),
        "downstream": downstream,
        "downstream_counts": o.counts,
        "downstream_url": o.recorder.map(|a| format!("http://{a}/")),
        "findings": o.findings,
        "unchecked": o.unchecked,
        "summary": {
            "errors": count(o, Severity::Error),
            "warnings": count(o, Severity::Warning),
            "infos": count(o, Severity::Info),
            "missing_downstream_calls": o.missing_calls,
            "elapsed_ms": ms(o.elapsed),
            "after_request_ms": ms(o.after_request),
        },
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

pub fn human(o: &Outcome, style: Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        style.bold(&format!("check-propagation {} {}", o.method, o.url))
    )?;
    for (listener, address) in &o.receivers {
        writeln!(out, "  receiving spans  {listener} on {address}")?;
    }
    if let Some(address) = o.recorder {
        writeln!(out, "  recording calls  http://{address}/")?;
    }
    for (i, s) in o.sent.iter().enumerate() {
        let status = match o.answers.get(i) {
            Some(Answer::Status(c)) => format!("HTTP {c}"),
            Some(Answer::Failed(e)) => e.clone(),
            None => "not sent".into(),
        };
        writeln!(out, "  request {}  {status}", i + 1)?;
        for (n, v) in &s.headers {
            writeln!(out, "    sent        {n}: {v}")?;
        }
        let hop = o.hops.get(i);
        match hop.and_then(|h| h.server).map(|x| &o.store.spans[x]) {
            Some(span) => writeln!(
                out,
                "    server span {} {:?}  trace {:032x}  parent {}",
                span.service,
                span.name,
                span.trace_id,
                span.parent_id
                    .map_or_else(|| "none (a root)".into(), |p| format!("{p:016x}"))
            )?,
            None if !o.receivers.is_empty() => writeln!(out, "    server span none arrived")?,
            None => {}
        }
        for &c in hop
            .map(|h| h.calls.as_slice())
            .unwrap_or_default()
            .iter()
            .take(5)
        {
            let call = &o.calls[c];
            let what = match call.seen {
                Some(s) => format!(
                    "{} trace {:032x} parent {:016x}",
                    s.format, s.trace_id, s.parent_id
                ),
                None => "no trace context".into(),
            };
            writeln!(out, "    downstream  {} {}  {what}", call.method, call.path)?;
        }
    }
    if let Some(c) = o.counts.filter(|c| c.requests > 5) {
        writeln!(out, "  downstream calls: {} ({} kept)", c.requests, c.kept)?;
    }
    if o.spans_on {
        writeln!(out, "  spans received: {}", o.store.received)?;
    }
    for f in &o.findings {
        writeln!(out)?;
        writeln!(out, "  {} {}", style.bold(f.id), f.name)?;
        render_one_finding(f, style, out)?;
    }
    for u in &o.unchecked {
        writeln!(out, "  not checked: {u}")?;
    }
    writeln!(out)?;
    let verdict = if !o.findings.is_empty() || o.missing_calls > 0 {
        format!(
            "{} error(s), {} warning(s)",
            count(o, Severity::Error),
            count(o, Severity::Warning)
        )
    } else if o.unchecked.is_empty() {
        "the service continues the trace it receives and forwards it downstream".to_owned()
    } else {
        "no finding in what could be checked (see `not checked`)".to_owned()
    };
    writeln!(out, "{verdict} (decided in {} ms)", ms(o.elapsed))
}
