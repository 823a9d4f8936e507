//! Writing a report: `--format` on standard output, then each `--output FORMAT=FILE`; the formats
//! every report-producing command renders alike (json, github, sarif, junit, markdown).

use std::io::{self, Write};
use std::path::PathBuf;

use crate::cli::{DoctorFormat, ReportArgs};
use crate::error::UsageError;
use crate::registry;
use crate::report::human::Detail;
use crate::report::{self, Report};
use crate::rule::Rule;
use crate::settings::secret::redact_urls;
use crate::style::Style;

/// How a command renders its report in one format; `Style` is plain for files.
pub type Render<'a> = dyn Fn(DoctorFormat, Style, &mut dyn Write) -> io::Result<()> + 'a;

/// Renders to standard output in `--format`, then writes each `--output` file. Every document
/// passes through [`redact_urls`] here, the one place all report formats are written, so no
/// format, on the terminal or in a file, carries the password of a URL.
pub fn emit(
    args: &ReportArgs,
    style: Style,
    out: &mut dyn Write,
    render: &Render<'_>,
) -> anyhow::Result<()> {
    out.write_all(&rendered(render, args.format, style)?)?;
    for target in &args.outputs {
        let document = rendered(render, target.format, Style::PLAIN)?;
        std::fs::write(&target.path, document).map_err(|e| {
            UsageError::Invalid(format!(
                "cannot write the {} report to {}: {}; pass --output FORMAT=FILE with a \
                 writable path",
                format_name(target.format),
                target.path.display(),
                crate::text::io_reason(&e)
            ))
        })?;
    }
    Ok(())
}

/// One format rendered, with URL passwords redacted.
fn rendered(render: &Render<'_>, format: DoctorFormat, style: Style) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    render(format, style, &mut buffer)?;
    Ok(redact_urls(&String::from_utf8_lossy(&buffer)).into_bytes())
}

/// `--verbose` as the human renderer's detail.
pub fn detail(args: &ReportArgs) -> Detail {
    if args.verbose {
        Detail::Verbose
    } else {
        Detail::Compact
    }
}

/// The formats whose document is the report alone. Human output and JSON documents with
/// extra fields are rendered by the command.
pub fn render_shared(
    format: DoctorFormat,
    report: &Report,
    style: Style,
    detail: Detail,
    out: &mut dyn Write,
) -> io::Result<()> {
    let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match format {
        DoctorFormat::Human => report::human::render_checks(report, style, detail, out),
        DoctorFormat::Json => report::json::render(report, out),
        DoctorFormat::Github => report::github::render(report, out),
        DoctorFormat::Sarif => {
            let rules: Vec<Rule> = registry::rules().collect();
            report::sarif::render(report, &rules, &base, out)
        }
        DoctorFormat::Junit => report::junit::render(report, &base, out),
        DoctorFormat::Markdown => report::markdown::render(report, &base, out),
    }
}

fn format_name(format: DoctorFormat) -> &'static str {
    match format {
        DoctorFormat::Human => "human",
        DoctorFormat::Json => "JSON",
        DoctorFormat::Github => "GitHub",
        DoctorFormat::Sarif => "SARIF",
        DoctorFormat::Junit => "JUnit",
        DoctorFormat::Markdown => "Markdown",
    }
}
