//! Markdown for a pull-request comment or a CI job summary: a headline verdict, the pipeline as a
//! Mermaid diagram (doctor), a table of findings, their details and the checks that passed or were
//! skipped in collapsible sections. GitHub renders Mermaid and `<details>` in Markdown.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use super::locate::locate;
use super::locate::workload_of;
use super::{CheckResult, Finding, Report, Status, pipeline};
use crate::rule::{Rule, Severity};
use crate::text::plural;

pub fn render(report: &Report, base: &Path, out: &mut dyn Write) -> io::Result<()> {
    let mut md = String::new();
    let s = &report.summary;
    let (mark, verdict) = if report.failed {
        (
            "❌",
            format!("FAIL: findings at or above {}", report.fail_on),
        )
    } else {
        ("✅", format!("OK: nothing at or above {}", report.fail_on))
    };
    let _ = writeln!(
        md,
        "## {mark} {} {}: {verdict}\n",
        report.tool.name, report.command
    );
    // The SDK whose defaults applied matters to doctor only.
    let sdk = match report.command {
        "doctor" => format!(" · sdk `{}`", report.sdk),
        _ => String::new(),
    };
    let _ = writeln!(
        md,
        "{}, {}, {} · {} checks: {} passed, {} failed, {} skipped{sdk} · {} {}\n",
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        s.checks,
        s.passed,
        s.failed,
        s.skipped,
        report.tool.name,
        report.tool.version
    );
    if report.command == "doctor" {
        let _ = writeln!(
            md,
            "### Pipeline\n\n```mermaid\n{}```\n",
            pipeline::mermaid(report)
        );
        for (node, ids) in pipeline::node_findings(report) {
            let _ = writeln!(md, "Findings on the {node}: {}.\n", code_list(&ids));
        }
    }
    let findings: Vec<&Finding> = report.findings().collect();
    if findings.is_empty() {
        md.push_str("No findings.\n\n");
    } else {
        findings_table(&mut md, report, &findings, base);
        let _ = writeln!(
            md,
            "<details><summary>Details of {}</summary>\n",
            plural(findings.len(), "finding", "findings")
        );
        for f in &findings {
            details(&mut md, report, f, base);
        }
        md.push_str("</details>\n\n");
    }
    checks_section(&mut md, report);
    out.write_all(md.as_bytes())
}

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    }
}

fn findings_table(md: &mut String, report: &Report, findings: &[&Finding], base: &Path) {
    md.push_str(
        "### Findings\n\n| | ID | Severity | Where | What | Fix |\n|---|---|---|---|---|---|\n",
    );
    for f in findings {
        let _ = writeln!(
            md,
            "| {} | `{}` {} | {} | `{}` | {} | {} |",
            icon(f.severity),
            f.id,
            cell(f.name),
            f.severity,
            where_label(report, f, base),
            cell(&f.message),
            cell(&f.fix)
        );
    }
    md.push('\n');
}

fn details(md: &mut String, report: &Report, f: &Finding, base: &Path) {
    let _ = writeln!(
        md,
        "#### {} {} {}: {}\n",
        icon(f.severity),
        f.id,
        f.name,
        inline(&f.subject)
    );
    let _ = writeln!(md, "{}\n", inline(&f.message));
    let _ = writeln!(md, "- **where:** `{}`", where_label(report, f, base));
    if !f.evidence.is_empty() {
        let facts: Vec<String> = f
            .evidence
            .readable()
            .iter()
            .map(|e| format!("`{}`", e.replace('`', "'")))
            .collect();
        let _ = writeln!(md, "- **evidence:** {}", facts.join(" "));
    }
    let _ = writeln!(md, "- **fix:** {}", inline(&f.fix));
    let _ = writeln!(
        md,
        "- **docs:** `{}` · `tracectl explain {}`\n",
        f.docs, f.id
    );
}

/// Passing families and skipped checks, collapsed.
fn checks_section(md: &mut String, report: &Report) {
    let s = &report.summary;
    let _ = writeln!(
        md,
        "<details><summary>{} checks: {} passed, {} failed, {} skipped</summary>\n",
        s.checks, s.passed, s.failed, s.skipped
    );
    let row = |md: &mut String, name: &str, group: &[CheckResult]| {
        let count = |status| group.iter().filter(|c| c.status == status).count();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            cell(name),
            count(Status::Pass),
            count(Status::Fail),
            count(Status::Skip)
        );
    };
    if report.workloads.is_empty() {
        md.push_str("| Family | Passed | Failed | Skipped |\n|---|---|---|---|\n");
        for group in report.checks.chunk_by(|a, b| a.family == b.family) {
            row(md, group[0].family.title(), group);
        }
    } else {
        md.push_str("| Workload | Passed | Failed | Skipped |\n|---|---|---|---|\n");
        for w in &report.workloads {
            row(md, &w.id, &w.checks);
        }
        row(md, "across workloads", &report.checks);
    }
    let skipped = report.skip_reasons();
    if !skipped.is_empty() {
        md.push_str("\nSkipped:\n\n");
        for (reason, ids) in skipped {
            let _ = writeln!(md, "- {}: {}", code_list(&ids), inline(reason));
        }
    }
    md.push_str("\n</details>\n");
}

/// `file:line` (or the subject), and the workload for a deployment's finding.
fn where_label(report: &Report, f: &Finding, base: &Path) -> String {
    let place = locate(report, f, base).label().replace('`', "'");
    match workload_of(report, f) {
        Some(w) => format!("{place}` in `{}", w.id.replace('`', "'")),
        None => place,
    }
}

fn code_list(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text in running Markdown: HTML markup escaped outside `code spans`, which keep their text
/// (an unpaired backtick is escaped).
fn inline(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let html = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    if s.matches('`').count() % 2 == 1 {
        return html(&s).replace('`', "\\`");
    }
    s.split('`')
        .enumerate()
        .map(|(i, span)| match i % 2 {
            1 => format!("`{span}`"),
            _ => html(span),
        })
        .collect()
}

/// A table of rules under a heading: id, name, family, severity, what it checks.
pub fn rules(rules: &[Rule], heading: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}\n", inline(heading))?;
    writeln!(out, "| Id | Name | Family | Severity | What it checks |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in rules {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.id,
            cell(r.name),
            r.family.as_str(),
            r.severity.as_str(),
            cell(r.title)
        )?;
    }
    Ok(())
}

/// Text in a table cell: also no pipes.
fn cell(s: &str) -> String {
    inline(s).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table_or_inject_html() {
        assert_eq!(cell("a|b\n<script>"), "a\\|b &lt;script&gt;");
        assert_eq!(inline("run `a <b>` for <x>"), "run `a <b>` for &lt;x&gt;");
    }
}
