//! Human output of `doctor --k8s`: findings grouped by workload, passing workloads one line
//! each, then the checks across workloads and the summary.

use std::io::{self, Write};

use colored::Color;

use super::human::{Widths, render_check, render_summary};
use super::{CheckResult, Report, Status, WorkloadReport};
use crate::rule::Severity;
use crate::settings::{SettingKind, SettingLine};
use crate::style::Style;
use crate::text::plural;

pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let p = style;
    writeln!(
        out,
        "{} {} {} · {} · --sdk {} where nothing shows the SDK",
        p.bold(report.tool.name),
        report.tool.version,
        report.command,
        plural(report.workloads.len(), "workload", "workloads"),
        report.sdk
    )?;
    let failing = |checks: &[CheckResult]| -> Vec<CheckResult> {
        checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .cloned()
            .collect()
    };
    let (with_findings, passing): (Vec<&WorkloadReport>, Vec<&WorkloadReport>) = report
        .workloads
        .iter()
        .partition(|w| w.checks.iter().any(|c| c.status == Status::Fail));
    for w in with_findings {
        writeln!(out)?;
        let worst = w
            .checks
            .iter()
            .flat_map(|c| &c.findings)
            .map(|f| f.severity)
            .max();
        let mark = match worst {
            Some(Severity::Error) => p.paint("✗", Color::Red),
            Some(Severity::Warning) => p.paint("!", Color::Yellow),
            _ => p.paint("i", Color::Cyan),
        };
        let heading = heading(w);
        let long = 2 + w.id.chars().count() + 2 + heading.chars().count();
        if p.width.is_some_and(|width| long > width) {
            // Too wide for the terminal: the id alone, then the heading wrapped below it.
            writeln!(out, "{mark} {}", p.bold(&w.id))?;
            for line in p.lines(&heading, 2) {
                writeln!(out, "  {}", p.dim(&line))?;
            }
        } else {
            writeln!(out, "{mark} {}  {}", p.bold(&w.id), p.dim(&heading))?;
        }
        render_injected(w, &p, out)?;
        render_group(&failing(&w.checks), &p, out)?;
    }
    if !passing.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", p.bold("Workloads without findings"))?;
        let width = passing
            .iter()
            .map(|w| w.id.chars().count())
            .max()
            .unwrap_or(0);
        for w in passing {
            writeln!(
                out,
                "  {} {:width$}  {}",
                p.paint("✓", Color::Green),
                w.id,
                p.dim(&heading(w))
            )?;
            render_injected(w, &p, out)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", p.bold("Across workloads"))?;
    let across = failing(&report.checks);
    if across.is_empty() {
        let passed = report
            .checks
            .iter()
            .filter(|c| c.status == Status::Pass)
            .count();
        writeln!(
            out,
            "  {} {}",
            p.paint("✓", Color::Green),
            plural(passed, "check passed", "checks passed")
        )?;
    } else {
        render_group(&across, &p, out)?;
    }
    if let Some(reason) = network_skip(report) {
        writeln!(out)?;
        for line in p.lines(&format!("Network checks skipped: {reason}."), 0) {
            writeln!(out, "{}", p.dim(&line))?;
        }
    }
    writeln!(out)?;
    let s = &report.summary;
    writeln!(
        out,
        "{}",
        p.dim(&format!(
            "{} checked, {} with findings at or above {}",
            plural(s.workloads, "workload", "workloads"),
            s.workloads_failed,
            report.fail_on
        ))
    )?;
    render_summary(report, &p, out)
}

/// Role, location, template and SDK of a workload, for its heading line.
fn heading(w: &WorkloadReport) -> String {
    let mut text = format!("{} · {}", w.role, w.source);
    if let Some(t) = &w.template {
        text.push_str(&format!(" ({t})"));
    }
    match (&w.note, &w.sdk.evidence) {
        (Some(_), _) => text.push_str(" · not instrumented: deployment checks only"),
        (None, Some(e)) => text.push_str(&format!(" · sdk {} ({e})", w.sdk.name)),
        (None, None) => text.push_str(&format!(" · sdk {}", w.sdk.name)),
    }
    text
}

/// For a container the OpenTelemetry Operator instruments: its tracing variables after the
/// injection, each with the layer that set it.
fn render_injected(w: &WorkloadReport, p: &Style, out: &mut dyn Write) -> io::Result<()> {
    if !w.shows_injection() {
        return Ok(());
    }
    let vars: Vec<&SettingLine> = w
        .settings
        .iter()
        .filter(|s| s.kind == SettingKind::Variable)
        .collect();
    writeln!(
        out,
        "    {}",
        p.dim("env after the OpenTelemetry Operator's injection:")
    )?;
    let key = vars.iter().map(|s| s.key.len()).max().unwrap_or(0);
    // Long values (resource attributes) do not push every source off the screen.
    let value = vars
        .iter()
        .map(|s| s.value.chars().count())
        .filter(|n| *n <= 48)
        .max()
        .unwrap_or(0);
    for s in vars {
        let pad = value.saturating_sub(s.value.chars().count());
        let source = s.source.to_string();
        writeln!(
            out,
            "      {:key$}  {}{:pad$}  {}",
            s.key,
            s.value,
            "",
            p.dim(&source)
        )?;
    }
    Ok(())
}

fn render_group(checks: &[CheckResult], p: &Style, out: &mut dyn Write) -> io::Result<()> {
    let id = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let title = checks
        .iter()
        .map(|c| c.title.chars().count())
        .max()
        .unwrap_or(0);
    let budget = p.width.map(|w| w.saturating_sub(id + 6 + 9).max(30));
    let widths = Widths {
        id,
        title: budget.map_or(title, |b| title.min(b)),
    };
    for check in checks {
        render_check(check, &widths, p, out)?;
    }
    Ok(())
}

/// The reason network checks were skipped, when every workload skipped them for one reason.
fn network_skip(report: &Report) -> Option<&str> {
    report
        .workloads
        .iter()
        .flat_map(|w| &w.checks)
        .find(|c| c.status == Status::Skip && c.family == crate::rule::Family::Reachability)
        .and_then(|c| c.skip_reason.as_deref())
        .or(report.elided.network_skip.as_deref())
}
