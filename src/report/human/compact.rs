//! The compact check list (human output's default): a family whose checks all passed is one line,
//! failing checks are shown in full, skipped checks are counted and grouped by their reason.

use std::io::{self, Write};

use super::{CheckResult, Finding, Report, Severity, Status, Style, plural};

pub(super) fn render_checks(report: &Report, p: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    let shown: Vec<&[CheckResult]> = report
        .checks
        .chunk_by(|a, b| a.family == b.family)
        .filter(|g| g.iter().any(|c| c.status != Status::Skip))
        .collect();
    let width = shown
        .iter()
        .map(|g| g[0].family.title().chars().count())
        .max()
        .unwrap_or(0);
    for group in shown {
        family_line(group, width, p, out)?;
        for check in group.iter().filter(|c| c.status == Status::Fail) {
            failing_check(check, p, out)?;
        }
    }
    skipped(report, p, out)?;
    writeln!(out)
}

/// `✓ Sampler  5 checks`, or `✗ Service name  1 error · 5 passed` above its failing checks.
fn family_line(
    group: &[CheckResult],
    width: usize,
    p: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let count = |status| group.iter().filter(|c| c.status == status).count();
    let (passed, skipped) = (count(Status::Pass), count(Status::Skip));
    let findings: Vec<&Finding> = group.iter().flat_map(|c| &c.findings).collect();
    let mut parts = Vec::new();
    if findings.is_empty() {
        parts.push(plural(passed, "check", "checks"));
    } else {
        for (severity, one, many) in [
            (Severity::Error, "error", "errors"),
            (Severity::Warning, "warning", "warnings"),
            (Severity::Info, "info", "infos"),
        ] {
            let n = findings.iter().filter(|f| f.severity == severity).count();
            if n > 0 {
                parts.push(plural(n, one, many));
            }
        }
        if passed > 0 {
            parts.push(format!("{passed} passed"));
        }
    }
    if skipped > 0 {
        parts.push(format!("{skipped} skipped"));
    }
    let mark = match findings.iter().map(|f| f.severity).max() {
        Some(worst) => p.paint(worst.mark(), super::severity_color(worst)),
        None => p.paint("✓", colored::Color::Green),
    };
    let title = group[0].family.title();
    let pad = width.saturating_sub(title.chars().count());
    writeln!(
        out,
        "{mark} {}{:pad$}  {}",
        p.bold(title),
        "",
        p.dim(&parts.join(" · "))
    )
}

/// A failing check: its one finding on the check's line (several under its title), then the
/// evidence and the fix.
fn failing_check(check: &CheckResult, p: &Style, out: &mut dyn Write) -> io::Result<()> {
    let mark = super::mark(check, p);
    if let [f] = check.findings.as_slice() {
        let indent = 6 + check.id.chars().count();
        let text = format!("{}: {}", f.subject, f.message);
        for (i, line) in p.lines(&text, indent).into_iter().enumerate() {
            match i {
                0 => writeln!(out, "  {mark} {}  {line}", check.id)?,
                _ => writeln!(out, "{:indent$}{line}", "")?,
            }
        }
        return super::render_evidence_and_fix(f, true, p, out);
    }
    writeln!(out, "  {mark} {}  {}", check.id, check.title)?;
    for f in &check.findings {
        let label = format!("{:8}", f.severity.as_str());
        super::labelled(
            p.paint(&label, super::severity_color(f.severity)),
            p.lines(&format!("{}: {}", f.subject, f.message), 15),
            out,
        )?;
        super::render_evidence_and_fix(f, true, p, out)?;
    }
    Ok(())
}

/// `- 20 skipped`, then one line per reason with the checks it applies to.
fn skipped(report: &Report, p: &Style, out: &mut dyn Write) -> io::Result<()> {
    let groups = report.skip_reasons();
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{} {} {}",
        p.dim("-"),
        p.bold(&format!("{} skipped", report.summary.skipped)),
        p.dim("· --verbose lists every check · tracectl explain ID")
    )?;
    for (reason, ids) in groups {
        let ids = format!("{}: ", id_ranges(report, &ids));
        // The reason hangs under itself, unless a long list of ids would leave it no room.
        let (head, text, hang) = match ids.chars().count() {
            n if n <= 24 => (ids.as_str(), reason.to_string(), n),
            _ => ("", format!("{ids}{reason}"), 2),
        };
        for (i, line) in p.lines(&text, 4 + hang).into_iter().enumerate() {
            let line = match i {
                0 => format!("{head}{line}"),
                _ => format!("{:hang$}{line}", ""),
            };
            writeln!(out, "    {}", p.dim(&line))?;
        }
    }
    Ok(())
}

/// Ids with runs of three or more checks that follow each other in the report as `FIRST…LAST`.
fn id_ranges(report: &Report, ids: &[&str]) -> String {
    let position = |id: &str| report.checks.iter().position(|c| c.id == id);
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for id in ids {
        match runs.last_mut() {
            Some(run)
                if run
                    .last()
                    .and_then(|last| position(last))
                    .zip(position(id))
                    .is_some_and(|(a, b)| b == a + 1) =>
            {
                run.push(id)
            }
            _ => runs.push(vec![id]),
        }
    }
    runs.iter()
        .map(|run| match run.as_slice() {
            [first, .., last] if run.len() > 2 => format!("{first}…{last}"),
            _ => run.join(" "),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
