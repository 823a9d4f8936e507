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
use crate::style::Style;

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

impl Stats {
    pub fn add(&mut self, span: &SpanRef<'_>) {
        self.spans += 1;
        let s = match self.services.get_mut(span.service) {
            Some(s) => s,
            None => self.services.entry(span.service.to_owned()).or_default(),
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
                let reach = if bind.starts_with("127.") || bind == "::1" {
                    "loopback only"
                } else {
                    "reachable from other machines: asked for with --bind"
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

    pub fn stopped(
        self,
        reason: &str,
        received: u64,
        expected: u64,
        ok: bool,
        err: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Renderer::Json => {
                let line = json!({"event": "stopped", "reason": reason, "spans": received, "expected": expected, "exit_code": if ok { 0 } else { 1 }});
                writeln!(err, "{line}")?;
            }
            Renderer::Human(_) => {
                let verdict = if ok { "OK" } else { "FAIL" };
                writeln!(
                    err,
                    "{verdict}: stopped ({reason}) after {received} span(s); expected at least {expected}"
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
    fn durations_read_at_a_glance() {
        assert_eq!(duration(500), "500ns");
        assert_eq!(duration(1_500), "1.5µs");
        assert_eq!(duration(2_000_000), "2.0ms");
        assert_eq!(duration(3_210_000_000), "3.21s");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("ab", 4), "ab  ");
    }
}
