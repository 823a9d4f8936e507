//! `tracectl analyze FILE`: read a trace export, run the trace checks, render the report with a
//! tree view of the first traces.

use std::io::{self, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use serde::Serialize;

use crate::checks::Context;
use crate::cli::{AnalyzeArgs, DoctorFormat};
use crate::error::UsageError;
use crate::exit::ExitCode;
use crate::input;
use crate::report::{self, Report};
use crate::rule::Needs;
use crate::runner::{self, RunOptions};
use crate::settings::{Inputs, Sdk, Settings};
use crate::style::Style;
use crate::trace::{self, Format, TraceSet};

/// What was read, shown above the findings and added to the JSON document.
#[derive(Debug, Serialize)]
struct Input {
    file: String,
    formats: Vec<Format>,
    traces: usize,
    spans: usize,
    /// Spans left out because an id was missing or not hex/base64.
    malformed_spans: u64,
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    report: &'a Report,
    input: &'a Input,
}

pub fn run(args: &AnalyzeArgs, style: Style, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let set = read(&args.file)?;
    let input = Input {
        file: args.file.display().to_string(),
        formats: set.formats.clone(),
        traces: set.traces.len(),
        spans: set.spans.len(),
        malformed_spans: set.malformed,
    };
    let checks = super::inputs::checks_for(
        &args.select,
        &args.skip,
        |c| c.needs == Needs::Traces,
        ("analyze", "tracectl doctor"),
    )?;
    let options = RunOptions {
        command: "analyze",
        severity_overrides: super::inputs::severity_overrides(&args.severity)?,
        fail_on: Some(args.fail_on),
    };
    let trees: Vec<Vec<String>> = (0..set.traces.len().min(args.trees))
        .map(|i| trace::tree::lines(&set, i))
        .collect();
    let settings = Settings::resolve(Inputs::default(), Sdk::Spec);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the async runtime")?;
    let mut report = runtime.block_on(async {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3600);
        let mut ctx = Context::new(settings, deadline, true);
        ctx.traces = Some(set);
        runner::run(Arc::new(ctx), &checks, &options).await
    });
    // No app settings are involved: the report's settings section stays empty.
    report.settings.clear();

    let detail = super::outputs::detail(&args.report);
    super::outputs::emit(
        &args.report,
        style,
        out,
        &|format, style, out| match format {
            DoctorFormat::Human => {
                render_input(&input, &trees, out)?;
                report::human::render_checks(&report, style, detail, out)
            }
            DoctorFormat::Json => {
                serde_json::to_writer_pretty(
                    &mut *out,
                    &Document {
                        report: &report,
                        input: &input,
                    },
                )?;
                writeln!(out)
            }
            other => super::outputs::render_shared(other, &report, style, detail, out),
        },
    )?;
    Ok(if report.failed {
        ExitCode::Findings
    } else {
        ExitCode::Ok
    })
}

fn read(path: &Path) -> Result<TraceSet, UsageError> {
    let stdin = path.as_os_str() == "-";
    // How messages name the input: `-` is standard input, not a file called "-".
    let shown = if stdin {
        Path::new("standard input")
    } else {
        path
    };
    let reader: Box<dyn Read> = if stdin {
        Box::new(input::Bounded::new(io::stdin().lock(), input::TRACE_EXPORT))
    } else {
        input::open(path, input::TRACE_EXPORT).map_err(|error| UsageError::TraceFile {
            path: path.to_path_buf(),
            error,
        })?
    };
    let set = trace::read(BufReader::with_capacity(256 * 1024, reader)).map_err(|e| match e {
        trace::ReadError::Io(error) => UsageError::TraceFile {
            path: path.to_path_buf(),
            error,
        },
        error => UsageError::TraceFormat {
            path: shown.to_path_buf(),
            error,
        },
    })?;
    if set.spans.is_empty() {
        let formats: Vec<&str> = set.formats.iter().map(|f| f.as_str()).collect();
        let malformed = match set.malformed {
            0 => String::new(),
            n => format!(", {n} left out for a missing or malformed trace or span id"),
        };
        return Err(UsageError::Invalid(format!(
            "{} holds no spans (read as {}{malformed}): nothing to analyze; export a trace that has \
             spans, e.g. curl -s http://jaeger:16686/api/traces/<trace id>",
            shown.display(),
            formats.join(", ")
        )));
    }
    Ok(set)
}

fn render_input(input: &Input, trees: &[Vec<String>], out: &mut dyn Write) -> io::Result<()> {
    let formats: Vec<&str> = input.formats.iter().map(|f| f.as_str()).collect();
    writeln!(
        out,
        "{} {} analyze · {} · {} · {} traces, {} spans",
        report::Tool::CURRENT.name,
        report::Tool::CURRENT.version,
        input.file,
        formats.join(", "),
        input.traces,
        input.spans
    )?;
    if input.malformed_spans > 0 {
        writeln!(
            out,
            "  {} spans left out: a trace or span id was missing or not hex",
            input.malformed_spans
        )?;
    }
    if !trees.is_empty() {
        writeln!(out)?;
        writeln!(out, "Traces")?;
        for tree in trees {
            for (i, line) in tree.iter().enumerate() {
                let indent = if i == 0 { "  " } else { "    " };
                writeln!(out, "{indent}{line}")?;
            }
        }
        if input.traces > trees.len() {
            writeln!(
                out,
                "  … {} more traces (--trees N shows more)",
                input.traces - trees.len()
            )?;
        }
    }
    Ok(())
}
