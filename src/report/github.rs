//! GitHub Actions workflow commands: one annotation per finding, then a plain summary line.

use std::io::{self, Write};

use super::Report;
use crate::rule::Severity;
use crate::settings::secret::redact_urls;
use crate::text::plural;

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in report.findings() {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = format!("{} {}: {}", f.id, f.name, f.subject);
        let body = format!("{}\nfix: {}\ndocs: {}", f.message, f.fix, f.docs);
        let place = match &f.location {
            Some(at) => format!("file={},line={},", escape_property(&at.file), at.line),
            None => String::new(),
        };
        writeln!(
            out,
            "::{command} {place}title={}::{}",
            escape_property(&title),
            escape_data(&body)
        )?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "{} {}: {}, {}, {}; {} passed, {} failed, {} skipped",
        report.tool.name,
        report.command,
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
        s.passed,
        s.failed,
        s.skipped
    )
}

/// Escapes an annotation message, URL passwords redacted first (escaping hides them from the
/// pass over the whole output).
fn escape_data(s: &str) -> String {
    redact_urls(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes an annotation property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_syntax() {
        assert_eq!(escape_data("50%\nx"), "50%25%0Ax");
        assert_eq!(escape_property("a: b, c"), "a%3A b%2C c");
    }
}
