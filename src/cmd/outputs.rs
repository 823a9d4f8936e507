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
/// format, on the terminal or in a file, carries the password of a URL. Documents are written
/// as they are rendered, line by line, never held whole (a fleet's report runs to megabytes).
pub fn emit(
    args: &ReportArgs,
    style: Style,
    out: &mut dyn Write,
    render: &Render<'_>,
) -> anyhow::Result<()> {
    rendered(render, args.format, style, out)?;
    for target in &args.outputs {
        let cannot = |e: io::Error| {
            UsageError::Invalid(format!(
                "cannot write the {} report to {}: {}; pass --output FORMAT=FILE with a \
                 writable path",
                format_name(target.format),
                target.path.display(),
                crate::text::io_reason(&e)
            ))
        };
        let file = std::fs::File::create(&target.path).map_err(cannot)?;
        let mut file = io::BufWriter::new(file);
        rendered(render, target.format, Style::PLAIN, &mut file).map_err(cannot)?;
        file.flush().map_err(cannot)?;
    }
    Ok(())
}

/// One format rendered into `out`, with URL passwords redacted (commands with no `--output`).
pub fn rendered(
    render: &Render<'_>,
    format: DoctorFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut lines = io::BufWriter::with_capacity(
        64 * 1024,
        Redacting {
            out,
            pending: Vec::new(),
        },
    );
    render(format, style, &mut lines)?;
    lines.into_inner().map_err(|e| e.into_error())?.finish()
}

/// Writes what it is given with [`redact_urls`] applied, a whole line at a time: a URL's user
/// information never spans a line break, so this is the same as redacting the whole document.
struct Redacting<'a> {
    out: &'a mut dyn Write,
    /// The end of the document after its last line break.
    pending: Vec<u8>,
}

impl Redacting<'_> {
    fn lines(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out
            .write_all(redact_urls(&String::from_utf8_lossy(bytes)).as_bytes())
    }

    fn finish(mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.lines(&rest)?;
        self.out.flush()
    }
}

impl Write for Redacting<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        // Several kilobytes at a time: one pass of the redaction per chunk, not per line.
        if self.pending.len() >= 64 * 1024
            && let Some(end) = memchr::memrchr(b'\n', &self.pending)
        {
            let rest = self.pending.split_off(end + 1);
            let done = std::mem::replace(&mut self.pending, rest);
            self.lines(&done)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
