//! How `listen` shows what it receives. Human: aligned span lines, findings and summaries on
//! stdout, the banner on stderr. JSON: one span per line on stdout ([`SpanLine`](crate::trace::span_line::SpanLine)); the banner,
//! findings, summaries and the final line as `{"event":…}` objects on stderr (docs/listen.md).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::net::SocketAddr;

use serde::Serialize;
use serde_json::json;

use super::convert::rfc3339;
use super::span_ref::{Id, SpanRef};
use super::{Counts, Listener, Received, json_line};
use crate::report::{Finding, human};
use crate::rule::Severity;
use crate::style::Style;

/// How a run ended, for the last line.
#[derive(Debug, Clone, Copy)]
pub struct End {
    pub reason: &'static str,
    pub spans: u64,
    pub expected: u64,
    /// Findings at or above `fail_on`.
    pub failing: u64,
    pub fail_on: Severity,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bound {
    pub listener: Listener,
    pub transport: &'static str,
    pub address: SocketAddr,
    pub port: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failed {
    pub listener: Listener,
    pub address: SocketAddr,
    pub error: String,
}

/// Spans per service since the start.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServiceStats {
    pub spans: u64,
    pub protocols: BTreeSet<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub spans: u64,
    pub services: BTreeMap<String, ServiceStats>,
}

/// The most services counted by name; spans of further services are counted under
/// [`OTHER_SERVICES`] (senders choose service names freely).
pub const MAX_SERVICES: usize = 1000;
pub const OTHER_SERVICES: &str = "(other services)";

impl Stats {
    pub fn add(&mut self, span: &SpanRef<'_>) {
        self.spans += 1;
        let room = self.services.len() < MAX_SERVICES;
        let s = match self.services.get_mut(span.service) {
            Some(s) => s,
            None if room => self.services.entry(super::clip(span.service)).or_default(),
            None => self.services.entry(OTHER_SERVICES.into()).or_default(),
        };
        s.spans += 1;
        if !s.protocols.contains(span.protocol) {
            s.protocols.insert(span.protocol.to_owned());
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Renderer {
    Human(Style),
    Json,
}

fn duration(nanos: u64) -> String {
    match nanos {
        n if n < 1_000 => format!("{n}ns"),
        n if n < 1_000_000 => format!("{:.1}µs", n as f64 / 1e3),
        n if n < 1_000_000_000 => format!("{:.1}ms", n as f64 / 1e6),
        n => format!("{:.2}s", n as f64 / 1e9),
    }
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        format!("{text:width$}")
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

impl Renderer {
    pub fn banner(
        self,
        bind: &str,
        bound: &[Bound],
        failed: &[Failed],
        err: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Renderer::Json => {
                let line = json!({"event": "listening", "bind": bind, "listeners": bound, "failed": failed});
                writeln!(err, "{line}")?;
            }
            Renderer::Human(style) => {
                let exposed: Vec<&str> = bound
                    .iter()
                    .filter(|b| !b.address.ip().is_loopback())
                    .map(|b| b.listener.as_str())
                    .collect();
                let reach = if exposed.is_empty() {
                    "loopback only".to_owned()
                } else if exposed.len() == bound.len() {
                    "reachable from other machines".to_owned()
                } else {
                    format!("{} reachable from other machines", exposed.join(", "))
                };
                writeln!(err, "tracectl listen on {bind} ({reach})")?;
                for b in bound {
                    writeln!(
                        err,
                        "  {:14}  {}  {:21}  {}",
                        b.listener.as_str(),
                        b.transport,
                        b.address.to_string(),
                        style.dim(b.listener.accepts())
                    )?;
                }
                for f in failed {
                    writeln!(
                        err,
                        "  {:14}  not started on {}: {}",
                        f.listener.as_str(),
                        f.address,
                        f.error
                    )?;
                }
            }
        }
        err.flush()
    }

    /// The lines of every span received in one request or datagram.
    pub fn spans(self, received: &Received) -> String {
        let time = rfc3339(received.at);
        let port = received.origin.port;
        // A span line is a few hundred bytes: one allocation for the batch, most of the time.
        let mut out = String::with_capacity(received.batch.len() * 512);
        match self {
            Renderer::Json => json_line::push_batch(&mut out, &received.batch, &time, port),
            Renderer::Human(style) => {
                let time = time.get(11..23).unwrap_or(&time);
                received.batch.for_each(|span| {
                    let parent = span.parent_span_id.map_or_else(|| "-".into(), Id::to_hex);
                    let _ = writeln!(
                        out,
                        "{}  {}  {}  {}  {}  {:16}  {:>9}  {}",
                        style.dim(time),
                        clip(span.service, 18),
                        clip(span.name, 24),
                        span.trace_id.to_hex(),
                        span.span_id.to_hex(),
                        parent,
                        duration(span.duration_nanos()),
                        style.dim(&format!("{} :{port}", span.protocol)),
                    );
                });
            }
        }
        out
    }

    pub fn finding(self, f: &Finding, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
        match self {
            Renderer::Json => {
                let mut v = serde_json::to_value(f)?;
                if let Some(o) = v.as_object_mut() {
                    o.insert("event".into(), json!("finding"));
                }
                writeln!(err, "{v}")?;
                err.flush()
            }
            Renderer::Human(style) => {
                writeln!(out, "▲ {}  {}", f.id, f.name)?;
                human::render_one_finding(f, style, out)?;
                out.flush()
            }
        }
    }

    pub fn summary(
        self,
        stats: &Stats,
        counts: &Counts,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Renderer::Json => {
                let line = json!({"event": "summary", "spans": stats.spans, "services": stats.services, "counters": counts});
                writeln!(err, "{line}")?;
                err.flush()
            }
            Renderer::Human(style) => {
                let services: Vec<String> = stats
                    .services
                    .iter()
                    .map(|(name, s)| {
                        let name = if name.is_empty() { "\"\"" } else { name };
                        let protocols: Vec<&str> = s.protocols.iter().map(String::as_str).collect();
                        format!("{name} {} ({})", s.spans, protocols.join(", "))
                    })
                    .collect();
                let mut text = format!("summary: {} span(s)", stats.spans);
                if !services.is_empty() {
                    text.push_str(&format!(" · {}", services.join(" · ")));
                }
                for (what, n) in [
                    ("dropped", counts.dropped_spans),
                    ("oversize refused", counts.refused_oversize),
                    ("malformed", counts.malformed),
                    ("connections refused", counts.refused_connections),
                    ("refused for memory", counts.refused_memory),
                    ("idle connections closed", counts.closed_idle),
                    ("findings not reported", counts.unreported_findings),
                    ("forgotten by the parent checks", counts.forgotten_spans),
                ] {
                    if n > 0 {
                        text.push_str(&format!(" · {what} {n}"));
                    }
                }
                writeln!(out, "{}", style.dim(&format!("── {text}")))?;
                out.flush()
            }
        }
    }

    pub fn stopped(self, end: &End, err: &mut dyn Write) -> io::Result<()> {
        match self {
            Renderer::Json => {
                let line = json!({"event": "stopped", "reason": end.reason, "spans": end.spans, "expected": end.expected, "failing_findings": end.failing, "fail_on": end.fail_on, "exit_code": if end.ok { 0 } else { 1 }});
                writeln!(err, "{line}")?;
            }
            Renderer::Human(_) => {
                let verdict = if end.ok { "OK" } else { "FAIL" };
                let findings = match end.failing {
                    0 => String::new(),
                    n => format!(
                        "; {n} finding(s) at or above {} (--fail-on)",
                        end.fail_on.as_str()
                    ),
                };
                writeln!(
                    err,
                    "{verdict}: stopped ({}) after {} span(s); expected at least {}{findings}",
                    end.reason, end.spans, end.expected
                )?;
            }
        }
        err.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_counted_by_name_up_to_a_limit() {
        let lines: Vec<crate::trace::span_line::SpanLine> = (0..MAX_SERVICES + 10)
            .map(|i| crate::trace::span_line::SpanLine {
                service: format!("svc-{i}-{}", "x".repeat(300)),
                ..Default::default()
            })
            .collect();
        let mut stats = Stats::default();
        super::super::Batch::Lines(lines).for_each(|span| stats.add(&span));
        assert_eq!(stats.spans, (MAX_SERVICES + 10) as u64);
        assert_eq!(stats.services.len(), MAX_SERVICES + 1);
        assert_eq!(stats.services[OTHER_SERVICES].spans, 10);
        assert!(
            stats
                .services
                .keys()
                .all(|k| k.chars().count() <= super::super::MAX_TEXT + 1)
        );
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(500), "500ns");
        assert_eq!(duration(1_500), "1.5µs");
        assert_eq!(duration(2_000_000), "2.0ms");
        assert_eq!(duration(3_210_000_000), "3.21s");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("ab", 4), "ab  ");
    }
}
