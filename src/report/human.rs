//! Aligned text for people: settings with their sources, then checks grouped by family. Compact
//! by default (failing checks in full, a passing family on one line, skipped checks grouped by
//! reason); `Detail::Verbose` shows every check on its own line.

use std::io::{self, Write};

use colored::Color;

use super::{CheckResult, Finding, Report, Status};
use crate::rule::Severity;
use crate::settings::{SettingKind, SettingLine, Source};
use crate::style::{Style, fill, wrap};
use crate::text::plural;

mod compact;

/// How much of the report human output shows (`--verbose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Failing checks in full, passing families one line each, skipped checks counted by reason.
    Compact,
    /// Every check on its own line.
    Verbose,
}

pub fn render(
    report: &Report,
    style: Style,
    detail: Detail,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !report.workloads.is_empty() {
        return super::human_deploy::render(report, style, out);
    }
    let p = style;
    writeln!(
        out,
        "{} {} {} · sdk {}",
        p.bold(report.tool.name),
        report.tool.version,
        report.command,
        report.sdk
    )?;
    render_settings(report, &p, detail, out)?;
    render_checks(report, style, detail, out)
}

/// The checks grouped by family, the endpoints probed, then the summary line: the part of the
/// report every command that runs checks shares.
pub fn render_checks(
    report: &Report,
    style: Style,
    detail: Detail,
    out: &mut dyn Write,
) -> io::Result<()> {
    if detail == Detail::Compact {
        compact::render_checks(report, &style, out)?;
        render_endpoints(report, &style, detail, out)?;
        return render_summary(report, &style, out);
    }
    let p = style;
    let widest = |f: fn(&CheckResult) -> usize| report.checks.iter().map(f).max().unwrap_or(0);
    let id = widest(|c| c.id.len());
    let title = widest(|c| c.title.chars().count());
    // Mark, id and spaces before the title; the duration after it.
    let budget = style.width.map(|w| w.saturating_sub(id + 6 + 9).max(30));
    let widths = Widths {
        id,
        title: budget.map_or(title, |b| title.min(b)),
    };
    for group in report.checks.chunk_by(|a, b| a.family == b.family) {
        writeln!(out)?;
        writeln!(out, "{}", p.bold(group[0].family.title()))?;
        if let Some(reason) = common_skip_reason(group) {
            let ids = match group {
                [first, .., last] if group.len() > 3 => format!("{}…{}", first.id, last.id),
                _ => group.iter().map(|c| c.id).collect::<Vec<_>>().join(" "),
            };
            let text = format!("{} checks skipped ({ids}): {reason}", group.len());
            for (i, line) in p.lines(&text, 4).into_iter().enumerate() {
                let mark = if i == 0 { "-" } else { " " };
                writeln!(out, "  {} {}", p.dim(mark), p.dim(&line))?;
            }
            continue;
        }
        for check in group {
            render_check(check, &widths, &p, out)?;
        }
    }
    writeln!(out)?;
    render_endpoints(report, &p, detail, out)?;
    render_summary(report, &p, out)
}

/// The reason every check of a family was skipped, when there are several and they share one:
/// such a family is shown as one line.
fn common_skip_reason(group: &[CheckResult]) -> Option<&str> {
    let first = group.first()?.skip_reason.as_deref()?;
    (group.len() > 1
        && group
            .iter()
            .all(|c| c.status == Status::Skip && c.skip_reason.as_deref() == Some(first)))
    .then_some(first)
}

/// The table of probed endpoints, when the network checks probed any. Compact output leaves out
/// the note on how to start a collector when a finding already says so.
fn render_endpoints(
    report: &Report,
    p: &Style,
    detail: Detail,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Compact output leaves out closed endpoints a finding already names.
    let named = |r: &super::EndpointRow| {
        detail == Detail::Compact
            && !r.open
            && report.findings().any(|f| {
                f.evidence.get("endpoint").and_then(|e| e.as_str()) == Some(r.endpoint.as_str())
            })
    };
    let rows: Vec<&super::EndpointRow> = report.endpoints.iter().filter(|r| !named(r)).collect();
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", p.bold("Endpoints probed"))?;
    let label = |r: &super::EndpointRow| format!("{}/{}", r.endpoint, r.transport);
    let w = rows.iter().map(|r| label(r).len()).max().unwrap_or(0);
    let uw = rows
        .iter()
        .map(|r| r.usual.unwrap_or("").len())
        .max()
        .unwrap_or(0);
    for r in rows {
        let mark = if r.open {
            p.paint("●", Color::Green)
        } else {
            p.dim("○")
        };
        writeln!(
            out,
            "  {mark} {:w$}  {:uw$}  {}",
            label(r),
            r.usual.unwrap_or(""),
            r.answer
        )?;
    }
    let said = detail == Detail::Compact && report.findings().next().is_some();
    if let Some(note) = report.endpoints_note.as_ref().filter(|_| !said) {
        for line in p.lines(note, 2) {
            writeln!(out, "  {line}")?;
        }
    }
    writeln!(out)
}

fn render_settings(
    report: &Report,
    p: &Style,
    detail: Detail,
    out: &mut dyn Write,
) -> io::Result<()> {
    let key_width = report
        .settings
        .iter()
        .map(|s| s.key.len())
        .max()
        .unwrap_or(0);
    let value_width = report
        .settings
        .iter()
        .map(|s| shown(&s.value).chars().count())
        .max()
        .unwrap_or(0);
    let compact = detail == Detail::Compact;
    let no_variables = !report
        .settings
        .iter()
        .any(|s| s.kind == SettingKind::Variable);
    for (kind, heading) in [
        (SettingKind::Effective, "Effective settings"),
        (SettingKind::Variable, "Variables"),
    ] {
        let lines: Vec<_> = report.settings.iter().filter(|s| s.kind == kind).collect();
        if compact && lines.is_empty() {
            continue;
        }
        writeln!(out)?;
        let none_set = "no OTEL_* or JAEGER_* variable is set: the SDK defaults apply";
        match kind {
            SettingKind::Effective if compact && no_variables => {
                writeln!(out, "{}  {}", p.bold(heading), p.dim(none_set))?
            }
            _ => writeln!(out, "{}", p.bold(heading))?,
        }
        if lines.is_empty() {
            writeln!(out, "  {}", p.dim(none_set))?;
        }
        // Compact output folds plain defaults (no note) other than the ones naming where spans go.
        let folded = |s: &SettingLine| {
            compact
                && matches!(s.source, Source::SpecDefault | Source::SdkDefault { .. })
                && s.note.is_none()
                && !["service.name", "otlp.protocol", "otlp.url"].contains(&s.key.as_str())
        };
        for s in lines.iter().filter(|s| !folded(s)) {
            let value = shown(&s.value);
            let pad = value_width.saturating_sub(value.chars().count());
            let mut source = match &s.var {
                Some(var) => format!("{} {var}", s.source),
                None => s.source.to_string(),
            };
            // Compact output keeps a short note on the setting's own line when it fits.
            let used = 6 + key_width + value.chars().count() + pad + source.chars().count();
            let inline = s.note.as_ref().filter(|note| {
                compact && p.width.is_none_or(|w| used + 3 + note.chars().count() <= w)
            });
            if let Some(note) = inline {
                source = format!("{source} · {note}");
            }
            writeln!(
                out,
                "  {:key_width$}  {value}{:pad$}  {}",
                s.key,
                "",
                p.dim(&source)
            )?;
            if let Some(note) = s.note.as_ref().filter(|_| inline.is_none()) {
                for line in p.lines(&format!("note: {note}"), key_width + 4) {
                    writeln!(out, "  {:key_width$}  {}", "", p.dim(&line))?;
                }
            }
        }
        let defaults: Vec<String> = lines
            .iter()
            .filter(|s| folded(s))
            .map(|s| format!("{} {}", s.key, shown(&s.value)))
            .collect();
        if !defaults.is_empty() {
            let text = format!("defaults: {}", defaults.join(" · "));
            for line in p.lines(&text, 2) {
                writeln!(out, "  {}", p.dim(&line))?;
            }
        }
    }
    Ok(())
}

/// Empty values are shown as `""` so they are visible.
fn shown(value: &str) -> String {
    if value.is_empty() {
        "\"\"".to_string()
    } else {
        value.to_string()
    }
}

/// Column widths of the check lines, so durations line up.
pub(super) struct Widths {
    pub(super) id: usize,
    pub(super) title: usize,
}

pub(super) fn render_check(
    check: &CheckResult,
    w: &Widths,
    p: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mark = mark(check, p);
    let title = match p.width {
        Some(_) => wrap(check.title, w.title),
        None => vec![check.title.to_string()],
    };
    let first = title.first().map(String::as_str).unwrap_or_default();
    writeln!(
        out,
        "  {mark} {:idw$}  {first}{:pad$}  {}",
        check.id,
        "",
        p.dim(&format!("{:>5}ms", check.duration_ms.as_millis())),
        idw = w.id,
        pad = w.title.saturating_sub(first.chars().count()),
    )?;
    for more in title.iter().skip(1) {
        writeln!(out, "    {:idw$}  {more}", "", idw = w.id)?;
    }
    if let Some(reason) = &check.skip_reason {
        for line in p.lines(&format!("skipped: {reason}"), 6) {
            writeln!(out, "      {}", p.dim(&line))?;
        }
    }
    for finding in &check.findings {
        render_finding(finding, p, out)?;
    }
    Ok(())
}

/// One finding on its own, as `listen` reports them while it runs.
pub fn render_one_finding(f: &Finding, style: Style, out: &mut dyn Write) -> io::Result<()> {
    render_finding(f, &style, out)
}

fn render_finding(f: &Finding, p: &Style, out: &mut dyn Write) -> io::Result<()> {
    let label = format!("{:8}", f.severity.as_str());
    labelled(
        p.paint(&label, severity_color(f.severity)),
        p.lines(&format!("{}: {}", f.subject, f.message), 15),
        out,
    )?;
    render_evidence_and_fix(f, false, p, out)?;
    labelled(
        p.dim("docs    "),
        p.lines(&format!("{} · tracectl explain {}", f.docs, f.name), 15),
        out,
    )
}

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
    }
}

/// Lines after a finding's message: `evidence` (as text) and `fix`, labelled and wrapped.
/// The evidence and fix under a finding. The compact view leaves out facts whose value the
/// message already states (the endpoint it names, the fallback it quotes); values of one or two
/// characters (`0`, `no`) are always kept, as a message may contain them by chance.
fn render_evidence_and_fix(
    f: &Finding,
    compact: bool,
    p: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let said = |fact: &String| {
        compact
            && fact
                .split_once('=')
                .is_some_and(|(_, value)| value.chars().count() >= 3 && f.message.contains(value))
    };
    let facts: Vec<String> = f
        .evidence
        .readable()
        .into_iter()
        .filter(|x| !said(x))
        .collect();
    if !facts.is_empty() {
        let lines = match p.width {
            Some(width) => fill(facts, "  ", width.saturating_sub(15).max(30)),
            None => vec![facts.join("  ")],
        };
        labelled(p.dim("evidence"), lines, out)?;
    }
    if let Some(at) = &f.location {
        labelled(p.dim("at      "), vec![at.to_string()], out)?;
    }
    labelled(p.bold("fix     "), p.lines(&f.fix, 15), out)
}

/// `lines` under a label in the finding's column: the label on the first line only.
fn labelled(label: String, lines: Vec<String>, out: &mut dyn Write) -> io::Result<()> {
    for (i, line) in lines.into_iter().enumerate() {
        if i == 0 {
            writeln!(out, "      {label} {line}")?;
        } else {
            writeln!(out, "      {:8} {line}", "")?;
        }
    }
    Ok(())
}

/// The mark of a check: ✓ pass, - skipped, ✗ error, ! warning, i info (its worst finding).
fn mark(check: &CheckResult, p: &Style) -> String {
    let worst = check.findings.iter().map(|f| f.severity).max();
    match (check.status, worst) {
        (Status::Pass, _) => p.paint("✓", Color::Green),
        (Status::Skip, _) => p.dim("-"),
        (Status::Fail, Some(severity)) => p.paint(severity.mark(), severity_color(severity)),
        (Status::Fail, None) => p.paint("✗", Color::Red),
    }
}

pub(super) fn render_summary(report: &Report, p: &Style, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    let (verdict, color) = match report.failed {
        true => ("FAIL", Color::Red),
        false => ("OK", Color::Green),
    };
    let verdict = format!("{verdict} (--fail-on {}):", report.fail_on);
    let findings: Vec<String> = [
        (s.errors, "error", "errors"),
        (s.warnings, "warning", "warnings"),
        (s.infos, "info", "infos"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    let findings = match findings.is_empty() {
        true => "no findings".to_string(),
        false => findings.join(", "),
    };
    let counts = format!(
        "{findings} · {} passed, {} failed, {} skipped",
        s.passed, s.failed, s.skipped
    );
    let long = verdict.chars().count() + 1 + counts.chars().count();
    let separator = match p.width {
        Some(width) if long > width => "\n  ",
        _ => " ",
    };
    writeln!(out, "{}{separator}{counts}", p.paint(&verdict, color))
}
