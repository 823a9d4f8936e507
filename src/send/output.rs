//! Receipts and load reports rendered for people, and either one as JSON (docs/send-test-span.md).

use std::io::Write;

use colored::Color;
use serde::Serialize;

use crate::style::Style;
use crate::text::plural;

use super::load::LoadReport;
use super::receipt::Receipt;
use super::{Answer, Verdict};

/// A receipt or load report as pretty JSON, one document ending in a newline.
pub fn render_json(value: &impl Serialize, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// The receipt for people: the verdict, then one row per fact, the cause and the read-back.
pub fn render_receipt(receipt: &Receipt, style: Style, out: &mut dyn Write) -> std::io::Result<()> {
    let paint =
        |text: &str, ok: bool| style.strong(text, if ok { Color::Green } else { Color::Red });
    let headline = match receipt.verdict {
        Verdict::Accepted => "✓ accepted",
        Verdict::Sent => "✓ sent",
        Verdict::PartiallyRejected => "✗ partially rejected",
        Verdict::Rejected => "✗ rejected",
        Verdict::Unreachable => "✗ not delivered",
        Verdict::NoAnswer => "✗ no answer",
    };
    let spans = receipt.span_ids.len();
    writeln!(
        out,
        "{} — {} of service {:?} over {} in {:.1} ms",
        paint(headline, receipt.verdict.is_success()),
        plural(spans, "span", "spans"),
        receipt.service,
        receipt.protocol,
        receipt.latency_ms
    )?;
    let row = |out: &mut dyn Write, key: &str, value: &str| writeln!(out, "  {key:<12} {value}");
    row(
        out,
        "url",
        &format!("{} (from {})", receipt.url, receipt.url_from),
    )?;
    row(out, "trace id", &receipt.trace_id)?;
    row(out, "span ids", &receipt.span_ids.join(" "))?;
    row(out, "traceparent", &receipt.traceparent)?;
    row(out, "answer", &answer_line(&receipt.answer))?;
    if let Some(body) = &receipt.answer.body {
        row(out, "body", body)?;
    }
    for (k, v) in &receipt.headers {
        row(out, "header", &format!("{k}: {v}"))?;
    }
    if let Some(cause) = &receipt.cause {
        row(out, "why", &cause.summary)?;
        if let Some(fix) = &cause.fix {
            row(out, "fix", fix)?;
        }
    }
    if let Some(error) = &receipt.error {
        row(out, "error", error)?;
    }
    if let Some(v) = &receipt.verification {
        let mark = if v.is_complete() { "✓" } else { "✗" };
        row(
            out,
            "verified",
            &format!("{} {}", paint(mark, v.is_complete()), v.summary()),
        )?;
        for (k, value) in &v.headers {
            row(out, "query header", &format!("{k}: {value}"))?;
        }
        if let Some(fix) = v.fix("--verify", "--verify-timeout") {
            row(out, "fix", &fix)?;
        }
    }
    Ok(())
}

/// What came back, in one line.
fn answer_line(a: &Answer) -> String {
    let mut parts = Vec::new();
    if let Some(s) = a.http_status {
        parts.push(format!("HTTP {s}"));
    }
    if let (Some(n), Some(code)) = (a.grpc_status, &a.grpc_code) {
        parts.push(format!("grpc-status {n} ({code})"));
    }
    if let Some(m) = &a.grpc_message {
        parts.push(format!("message {m:?}"));
    }
    if let Some(ct) = &a.content_type {
        parts.push(format!("Content-Type {ct}"));
    }
    if let Some(p) = &a.partial_success {
        parts.push(format!(
            "partial_success: {} rejected ({:?})",
            p.rejected_spans, p.error_message
        ));
    }
    if let Some(d) = a.datagrams {
        parts.push(format!(
            "{}, not refused (UDP has no reply: --verify confirms arrival)",
            plural(d, "datagram", "datagrams")
        ));
    }
    if parts.is_empty() {
        parts.push("no answer".into());
    }
    parts.join(", ")
}

/// The load report for people: totals, rate, outcome counts, latency percentiles, first error.
pub fn render_load(report: &LoadReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{} — {} in {:.2} s over {} to {} ({}, {} per request)",
        if report.is_clean() {
            "✓ load accepted"
        } else {
            "✗ load not fully accepted"
        },
        plural(
            usize::try_from(report.spans_sent).unwrap_or(usize::MAX),
            "span",
            "spans"
        ),
        report.elapsed_s,
        report.protocol,
        report.url,
        plural(report.workers as usize, "worker", "workers"),
        plural(report.spans_per_request, "span", "spans")
    )?;
    writeln!(out, "  rate         {} spans/s", report.spans_per_second)?;
    writeln!(
        out,
        "  spans        {} accepted, {} rejected, {} errors ({} requests)",
        report.spans_accepted, report.spans_rejected, report.spans_failed, report.requests
    )?;
    let l = &report.latency_ms;
    writeln!(
        out,
        "  latency      p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        l.p50, l.p90, l.p99, l.max
    )?;
    if let Some(e) = &report.first_error {
        writeln!(out, "  first error  {e}")?;
    }
    Ok(())
}
