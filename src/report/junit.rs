//! JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins): one `testsuite` per
//! family, one `testcase` per check; a check with findings at or above `--fail-on` fails, one with
//! findings below it passes with them in `system-out`, a skipped check is `skipped` with its reason.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use super::locate::{Where, locate};
use super::{CheckResult, Finding, Report, Status};

pub fn render(report: &Report, base: &Path, out: &mut dyn Write) -> io::Result<()> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // One suite per family for a single environment; per workload (then the checks across
    // workloads) for `doctor --k8s`.
    let mut suites: Vec<(String, String, Vec<&CheckResult>)> = Vec::new();
    if report.workloads.is_empty() {
        for group in report.checks.chunk_by(|a, b| a.family == b.family) {
            let family = group[0].family;
            suites.push((
                family.title().to_string(),
                family.to_string(),
                group.iter().collect(),
            ));
        }
    } else {
        for w in &report.workloads {
            suites.push((w.id.clone(), w.id.clone(), w.checks.iter().collect()));
        }
        if !report.checks.is_empty() {
            let across = "across-workloads".to_string();
            suites.push((
                "Across workloads".into(),
                across,
                report.checks.iter().collect(),
            ));
        }
    }
    let all: Vec<&CheckResult> = suites
        .iter()
        .flat_map(|(_, _, c)| c.iter().copied())
        .collect();
    let total = Counts::of(report, &all);
    let _ = writeln!(
        xml,
        "<testsuites name=\"{} {}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">",
        report.tool.name,
        report.command,
        total.tests,
        total.failures,
        total.skipped,
        seconds(total.time)
    );
    for (name, class, checks) in &suites {
        let c = Counts::of(report, checks);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">",
            attr(name),
            c.tests,
            c.failures,
            c.skipped,
            seconds(c.time)
        );
        let _ = writeln!(
            xml,
            "    <properties><property name=\"group\" value=\"{}\"/><property name=\"sdk\" value=\"{}\"/><property name=\"fail_on\" value=\"{}\"/></properties>",
            attr(class),
            report.sdk,
            report.fail_on
        );
        for check in checks {
            let class = match report.workloads.is_empty() {
                true => check.family.to_string(),
                false => class.clone(),
            };
            testcase(&mut xml, report, check, &class, base);
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn testcase(xml: &mut String, report: &Report, check: &CheckResult, class: &str, base: &Path) {
    let failing: Vec<&Finding> = check
        .findings
        .iter()
        .filter(|f| f.severity >= report.fail_on)
        .collect();
    let below: Vec<&Finding> = check
        .findings
        .iter()
        .filter(|f| f.severity < report.fail_on)
        .collect();
    let place = check
        .findings
        .first()
        .map(|f| locate(report, f, base))
        .and_then(|w| match w {
            Where::File(p) => Some(format!(" file=\"{}\" line=\"{}\"", attr(&p.file), p.line)),
            Where::Logical { .. } => None,
        })
        .unwrap_or_default();
    let _ = write!(
        xml,
        "    <testcase classname=\"{}.{}.{}\" name=\"{} {}: {}\" time=\"{}\"{place}",
        report.tool.name,
        report.command,
        attr(class),
        check.id,
        check.name,
        attr(check.title),
        seconds(check.duration_ms)
    );
    if check.status == Status::Pass || (failing.is_empty() && below.is_empty()) {
        if let Some(reason) = check
            .skip_reason
            .as_deref()
            .filter(|_| check.status == Status::Skip)
        {
            let _ = writeln!(
                xml,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(reason)
            );
        } else {
            xml.push_str("/>\n");
        }
        return;
    }
    xml.push_str(">\n");
    if let Some(first) = failing.first() {
        let more = match failing.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let _ = writeln!(
            xml,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            first.severity,
            attr(&format!("{}: {}{more}", first.subject, first.message)),
            text(&describe(report, &failing, base))
        );
    }
    if !below.is_empty() {
        let _ = writeln!(
            xml,
            "      <system-out>{}</system-out>",
            text(&describe(report, &below, base))
        );
    }
    xml.push_str("    </testcase>\n");
}

/// The findings as plain text: severity, where, what, evidence, fix, docs.
fn describe(report: &Report, findings: &[&Finding], base: &Path) -> String {
    let mut s = String::new();
    for f in findings {
        let at = match locate(report, f, base) {
            Where::File(p) => format!(" at {}:{}", p.file, p.line),
            Where::Logical { .. } => String::new(),
        };
        let _ = writeln!(s, "{}{at}: {}: {}", f.severity, f.subject, f.message);
        if !f.evidence.is_empty() {
            let _ = writeln!(s, "evidence: {}", f.evidence.readable().join("  "));
        }
        let _ = writeln!(s, "fix: {}\ndocs: {}\n", f.fix, f.docs);
    }
    s.trim_end().to_string()
}

struct Counts {
    tests: usize,
    failures: usize,
    skipped: usize,
    time: Duration,
}

impl Counts {
    fn of(report: &Report, checks: &[&CheckResult]) -> Counts {
        Counts {
            tests: checks.len(),
            failures: checks
                .iter()
                .filter(|c| c.findings.iter().any(|f| f.severity >= report.fail_on))
                .count(),
            skipped: checks.iter().filter(|c| c.status == Status::Skip).count(),
            time: checks.iter().map(|c| c.duration_ms).sum(),
        }
    }
}

fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

/// Text content: `&`, `<`, `>` escaped; characters XML 1.0 forbids dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: text escaping plus quotes; newlines kept as character references.
fn attr(s: &str) -> String {
    text(s)
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(text("a<b & c>\u{1b}[0m"), "a&lt;b &amp; c&gt;[0m");
        assert_eq!(attr("say \"hi\"\n"), "say &quot;hi&quot;&#10;");
    }
}
