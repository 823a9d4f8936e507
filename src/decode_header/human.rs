//! Decoded headers as aligned tables for people; errors point at the offending column.

use std::io::{self, Write};

use colored::Color;
use tracectl_propagation::convert::{Converted, utc_date};
use tracectl_propagation::input::Header;
use tracectl_propagation::{Details, Finding, Kind};

use crate::style::Style;
use crate::text::plural;

/// How much of a long value is shown on each side of a caret.
const CONTEXT: usize = 60;

fn paint(color: bool, text: &str, c: Color) -> String {
    Style::colored(color).paint(text, c)
}

fn bold(color: bool, text: &str) -> String {
    Style::colored(color).bold(text)
}

/// The name a header is shown under: as given, or the assumed one for a bare value.
pub(super) fn shown_name<'a>(h: &'a Header<'_>) -> &'a str {
    match h.name {
        Some(n) => n,
        None if h.decoded.kind == Kind::Unknown => "(value)",
        None => h.decoded.kind.header(),
    }
}

/// One request's headers, under `heading` (`request 2`, `line 7`) when there is one.
pub(super) fn request(
    heading: Option<&str>,
    headers: &[Header<'_>],
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if let Some(heading) = heading {
        writeln!(out, "{}", bold(color, &format!("── {heading} ──")))?;
    }
    for h in headers {
        header(h, color, out)?;
        writeln!(out)?;
    }
    Ok(())
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn header(h: &Header<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let d = &h.decoded;
    writeln!(out, "{}: {}", bold(color, shown_name(h)), h.value)?;
    let row =
        |out: &mut dyn Write, label: &str, value: &str| writeln!(out, "  {label:<11} {value}");
    let format = match (d.kind, d.assumed) {
        (Kind::Unknown, _) => "unknown".to_string(),
        (k, true) => format!(
            "{} (assumed from the value's shape; --as to force)",
            k.format()
        ),
        (k, false) => k.format().to_string(),
    };
    row(out, "format", &format)?;
    let valid = match (d.errors.len(), d.warnings.len()) {
        (0, 0) => paint(color, "yes", Color::Green),
        (0, w) => paint(
            color,
            &format!("yes, {}", plural(w, "warning", "warnings")),
            Color::Yellow,
        ),
        (e, _) => paint(
            color,
            &format!("no, {}", plural(e, "error", "errors")),
            Color::Red,
        ),
    };
    row(out, "valid", &valid)?;
    if let Some(v) = d.version {
        row(out, "version", &format!("{v:02x}"))?;
    }
    if let Some(id) = d.trace_id {
        row(out, "trace id", &format!("{id:032x}"))?;
    }
    if let Some(id) = d.span_id {
        row(out, "span id", &format!("{id:016x}"))?;
    }
    if let Some(id) = d.parent_span_id {
        row(out, "parent id", &format!("{id:016x}"))?;
    }
    let deferred = d.warnings.iter().any(|w| w.code == "deferred-sampling");
    match d.sampled {
        Some(s) => row(out, "sampled", yes_no(s))?,
        None if deferred => row(out, "sampled", "deferred (the receiver decides)")?,
        None => {}
    }
    if let Some(r) = d.random {
        row(out, "random", yes_no(r))?;
    }
    if let Some(b) = d.debug {
        row(out, "debug", yes_no(b))?;
    }
    if let Some(f) = d.flags {
        row(out, "flags", &format!("{f:02x}"))?;
    }
    if let Some(t) = d.timestamp {
        row(out, "timestamp", &utc_date(t))?;
    }
    details(&d.details, out)?;
    for f in &d.errors {
        finding(f, "error", Color::Red, &h.value, color, out)?;
    }
    for f in &d.warnings {
        finding(f, "warning", Color::Yellow, &h.value, color, out)?;
    }
    Ok(())
}

fn details(details: &Details, out: &mut dyn Write) -> io::Result<()> {
    let mut rows: Vec<(&str, String)> = Vec::new();
    let pairs = |label: &'static str, rows: &mut Vec<(&str, String)>, items: Vec<String>| {
        for (i, item) in items.into_iter().enumerate() {
            rows.push((if i == 0 { label } else { "" }, item));
        }
    };
    match details {
        Details::None | Details::Misspelled { .. } => {}
        Details::TraceState(m) => {
            pairs(
                "members",
                &mut rows,
                m.iter().map(|m| format!("{}={}", m.key, m.value)).collect(),
            );
        }
        Details::Baggage(m) => {
            let items = m
                .iter()
                .map(|m| {
                    let props: String = m.properties.iter().map(|p| format!(" ;{p}")).collect();
                    format!("{} = {}{props}", m.key, m.value)
                })
                .collect();
            pairs("members", &mut rows, items);
        }
        Details::Jaeger {
            firehose,
            url_decoded,
        } => {
            rows.push(("firehose", yes_no(*firehose).to_string()));
            if let Some(v) = url_decoded {
                rows.push(("url-decoded", v.clone()));
            }
        }
        Details::UberCtx { key, value } => {
            rows.push(("key", key.clone()));
            rows.push(("value", value.clone()));
        }
        Details::DebugId(v) => rows.push(("debug id", v.clone())),
        Details::XRay { lineage, others } => {
            if let Some(l) = lineage {
                rows.push(("lineage", l.clone()));
            }
            pairs(
                "extra",
                &mut rows,
                others
                    .iter()
                    .map(|m| format!("{}={}", m.key, m.value))
                    .collect(),
            );
        }
        Details::DatadogId(n) => rows.push(("decimal", n.to_string())),
        Details::DatadogPriority(p) => {
            let meaning = match p {
                -1 => "user reject",
                0 => "auto reject",
                1 => "auto keep",
                2 => "user keep",
                _ => "unknown",
            };
            rows.push(("priority", format!("{p} ({meaning})")));
        }
        Details::DatadogOrigin(o) => rows.push(("origin", o.clone())),
        Details::DatadogTags { tags, tid } => {
            pairs(
                "tags",
                &mut rows,
                tags.iter()
                    .map(|m| format!("{}={}", m.key, m.value))
                    .collect(),
            );
            if let Some(t) = tid {
                rows.push(("upper bits", format!("{t:016x} (_dd.p.tid)")));
            }
        }
        Details::GrpcTraceBin { unknown_field } => {
            if let Some(f) = unknown_field {
                rows.push(("stopped at", format!("unknown field {f} (not an error)")));
            }
        }
        Details::Sw8(s) => {
            rows.push(("sw8 trace", s.trace_id.clone()));
            rows.push(("segment", s.parent_segment_id.clone()));
            rows.push(("span", s.parent_span_id.to_string()));
            rows.push(("service", s.parent_service.clone()));
            rows.push(("instance", s.parent_service_instance.clone()));
            rows.push(("endpoint", s.parent_endpoint.clone()));
            rows.push(("target", s.target_address.clone()));
        }
    }
    for (label, value) in rows {
        writeln!(out, "  {label:<11} {value}")?;
    }
    Ok(())
}

fn finding(
    f: &Finding,
    label: &str,
    c: Color,
    value: &str,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "  {} {}: {}",
        paint(color, &format!("{label:<11}"), c),
        f.code,
        f.message
    )?;
    let Some(col) = f.column else {
        return Ok(());
    };
    let (shown, caret) = window(value, col);
    writeln!(out, "  {:<11} {shown}", "")?;
    writeln!(
        out,
        "  {:<11} {}{}",
        "",
        " ".repeat(caret),
        paint(color, "^", c)
    )?;
    Ok(())
}

/// The part of `value` around byte `col`, and the caret's offset in characters within it.
fn window(value: &str, col: usize) -> (String, usize) {
    let col = col.min(value.len());
    let mut start = col.saturating_sub(CONTEXT);
    while !value.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (col + CONTEXT).min(value.len());
    while !value.is_char_boundary(end) {
        end += 1;
    }
    let mut at = col;
    while !value.is_char_boundary(at) {
        at -= 1;
    }
    let before = value.get(start..at).unwrap_or_default();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < value.len() { "…" } else { "" };
    let body = value.get(start..end).unwrap_or_default();
    let shown: String = format!("{prefix}{body}{suffix}")
        .chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect();
    (shown, prefix.chars().count() + before.chars().count())
}

/// `--to` for people: the headers on stdout, ready for `curl -H`; errors and notes on stderr.
pub(super) fn conversion(
    label: &str,
    headers: &[Header<'_>],
    converted: &Result<Converted, String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    for h in headers {
        for f in &h.decoded.errors {
            writeln!(
                err,
                "error: {label}: {}: {}: {}",
                shown_name(h),
                f.code,
                f.message
            )?;
        }
    }
    match converted {
        Ok(c) => {
            for (name, value) in &c.headers {
                writeln!(out, "{name}: {value}")?;
            }
            for note in &c.notes {
                writeln!(err, "note: {label}: {note}")?;
            }
        }
        Err(reason) => writeln!(err, "error: {label}: {reason}")?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn the_caret_window_respects_characters() {
        assert_eq!(window("abc", 1), ("abc".to_string(), 1));
        assert_eq!(window("é-x", 2), ("é-x".to_string(), 1));
        let long = "x".repeat(200);
        let (shown, caret) = window(&long, 100);
        assert_eq!((shown.chars().count(), caret), (122, 61));
        assert_eq!(window("a\tb", 2).0, "a·b");
    }
}
