//! The receipt of one send: one model, rendered for people or as JSON (docs/send-test-span.md).

use std::io::Write;
use std::time::Duration;

use serde::Serialize;

use crate::protocol::trace::{Trace, traceparent};
use crate::report::{plural, redact};
use crate::style::Style;

use super::cause::Cause;
use super::verify::Verification;
use super::{Answer, Target, Verdict};

#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub verdict: Verdict,
    pub protocol: &'static str,
    pub url: String,
    /// Where the URL came from.
    pub url_from: String,
    pub service: String,
    pub trace_id: String,
    /// Root first.
    pub span_ids: Vec<String>,
    /// The root span's context, to continue the trace (`--parent`).
    pub traceparent: String,
    pub latency_ms: f64,
    pub answer: Answer,
    /// Header names with redacted values.
    pub headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// `--verify`: what the query service stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

impl Receipt {
    pub fn new(
        trace: &Trace,
        target: &Target,
        headers: &[(String, String)],
        delivery: super::Delivery,
        latency: Duration,
        cause: Option<Cause>,
    ) -> Receipt {
        let root = trace.spans.first();
        Receipt {
            verdict: delivery.verdict,
            protocol: target.protocol.as_str(),
            url: target.url.to_string(),
            url_from: target.from.clone(),
            service: trace.service.clone(),
            trace_id: root.map(|s| hex::encode(s.trace_id)).unwrap_or_default(),
            span_ids: trace.spans.iter().map(|s| hex::encode(s.span_id)).collect(),
            traceparent: root
                .map(|s| traceparent(&s.trace_id, &s.span_id))
                .unwrap_or_default(),
            latency_ms: (latency.as_secs_f64() * 1e6).round() / 1e3,
            answer: delivery.answer,
            headers: headers
                .iter()
                .map(|(k, v)| (k.clone(), redact(v)))
                .collect(),
            error: delivery.error,
            cause,
            verification: None,
        }
    }

    /// Accepted (or sent) and, with `--verify`, every span read back.
    pub fn is_success(&self) -> bool {
        self.verdict.is_success()
            && self
                .verification
                .as_ref()
                .is_none_or(Verification::is_complete)
    }

    fn answer_line(&self) -> String {
        let a = &self.answer;
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
}

pub fn render_json(receipt: &Receipt, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, receipt)?;
    writeln!(out)
}

pub fn render_human(receipt: &Receipt, style: Style, out: &mut dyn Write) -> std::io::Result<()> {
    use colored::Colorize;
    let paint = |text: &str, ok: bool| {
        if !style.color {
            text.normal()
        } else if ok {
            text.green().bold()
        } else {
            text.red().bold()
        }
    };
    let headline = match receipt.verdict {
        Verdict::Accepted => "✓ accepted",
        Verdict::Sent => "✓ sent",
        Verdict::PartiallyRejected => "✗ partially rejected",
        Verdict::Rejected => "✗ rejected",
        Verdict::Unreachable => "✗ not delivered",
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
    row(out, "answer", &receipt.answer_line())?;
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
