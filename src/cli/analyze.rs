//! `tracectl analyze`: read a trace export and report what it shows.

use std::path::PathBuf;

use clap::Args;

use super::ReportArgs;
use crate::rule::Severity;

pub(super) const ANALYZE_HELP: &str = "\
The format is detected: Jaeger UI/API JSON ({\"data\":[...]}), OTLP JSON (resourceSpans, also
Jaeger API v3's {\"result\":...}), Zipkin v2 JSON (an array of spans) or span lines, one JSON
object per line as `tracectl listen --format json` writes (docs/analyze.md).

Examples:
  tracectl analyze trace.json
  curl -s localhost:16686/api/traces/4bf92f3577b34da6a3ce929d0e0e4736 | tracectl analyze -
  tracectl listen --format json > spans.jsonl; tracectl analyze spans.jsonl --format json
  tracectl analyze export.json --fail-on warning --format github
  tracectl analyze export.json --output sarif=traces.sarif --output markdown=traces.md
  tracectl analyze export.json --select trace-propagation --severity TRC004=error

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable file, input that is not a trace export, or an --output file that
     cannot be written";

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The trace export to read; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub report: ReportArgs,

    /// The lowest severity that makes the run exit 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Severity::Error)]
    pub fail_on: Severity,

    /// Run only these checks: ids, names or family names, comma-separated or repeated.
    #[arg(long, value_name = "CHECK", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these checks: ids, names or family names, comma-separated or repeated.
    #[arg(long, value_name = "CHECK", value_delimiter = ',')]
    pub skip: Vec<String>,

    /// Change a check's severity, e.g. --severity TRC001=error (id or name; repeatable).
    #[arg(long, value_name = "CHECK=LEVEL")]
    pub severity: Vec<String>,

    /// How many traces to draw as trees in human output (0: none).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub trees: usize,
}
