//! The command line, declared with clap derive. Declarations only: `cmd/` holds the glue.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Severity;
use crate::settings::Sdk;
use crate::settings::env_file::EnvFileFormat;

const MAIN_EXAMPLES: &str = "\
Examples:
  tracectl doctor                          check the OTEL_*/JAEGER_* settings in this shell
  tracectl doctor --env-file prod.env      check the settings a deployment would get
  tracectl explain SVC001                  why a check exists and how to fix what it finds
  tracectl completions bash > /etc/bash_completion.d/tracectl

Exit codes:
  0  success: nothing at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable input, or internal error";

/// Diagnose distributed-tracing setups (OpenTelemetry and Jaeger): find out why the traces don't
/// show up.
#[derive(Debug, Parser)]
#[command(name = "tracectl", version, after_help = MAIN_EXAMPLES, propagate_version = true)]
pub struct Cli {
    /// When to colour output: auto colours only on a terminal and never when NO_COLOR is set.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the tracing settings an app would run with, and report what is wrong and how to fix it.
    #[command(after_help = DOCTOR_HELP)]
    Doctor(DoctorArgs),
    /// Explain a check: what it looks at, why it matters, how to fix what it finds.
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// Read a trace export (Jaeger, OTLP or Zipkin JSON, or span lines) and report clock skew,
    /// broken propagation and service-name problems.
    #[command(after_help = ANALYZE_HELP)]
    Analyze(AnalyzeArgs),
    /// Print a shell completion script to standard output.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the man page (roff) to standard output.
    #[command(after_help = MAN_HELP)]
    Man,
}

const DOCTOR_HELP: &str = "\
Settings are read like an app reads them: the process environment, then each --env-file in order,
then --set flags; later sources win. Every value in the report says where it came from.

Examples:
  tracectl doctor
  tracectl doctor --env-file .env --sdk python
  tracectl doctor --set OTEL_EXPORTER_OTLP_PROTOCOL=grpc --offline
  tracectl doctor --format json --fail-on warning
  tracectl doctor --select service-name --skip SVC004
  tracectl doctor --format github      # annotations in a GitHub Actions log
  tracectl doctor --list-checks
  tracectl doctor --collector-config otel-collector.yaml --set OTEL_EXPORTER_OTLP_PROTOCOL=grpc

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable env file, or internal error";

const ANALYZE_HELP: &str = "\
The format is detected: Jaeger UI/API JSON ({\"data\":[...]}), OTLP JSON (resourceSpans, also
Jaeger API v3's {\"result\":...}), Zipkin v2 JSON (an array of spans) or span lines, one JSON
object per line as `tracectl listen --format json` writes (docs/analyze.md).

Examples:
  tracectl analyze trace.json
  curl -s localhost:16686/api/traces/4bf92f3577b34da6a3ce929d0e0e4736 | tracectl analyze -
  tracectl listen --format json > spans.jsonl; tracectl analyze spans.jsonl --format json
  tracectl analyze export.json --fail-on warning --format github
  tracectl analyze export.json --select trace-propagation --severity TRC004=error

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable file, or input that is not a trace export";

const EXPLAIN_HELP: &str = "\
Examples:
  tracectl explain SVC001
  tracectl explain service-name-unset
  tracectl explain EXP001 --format json

Exit codes:
  0  the check was found and explained
  2  no check has that id or name";

const COMPLETIONS_HELP: &str = "\
Examples:
  tracectl completions bash > ~/.local/share/bash-completion/completions/tracectl
  tracectl completions zsh > \"${fpath[1]}/_tracectl\"
  tracectl completions fish > ~/.config/fish/completions/tracectl.fish";

const MAN_HELP: &str = "\
Examples:
  tracectl man > tracectl.1 && man ./tracectl.1";

/// Output format of `doctor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DoctorFormat {
    /// Aligned text for people, grouped by family.
    Human,
    /// One JSON document (schema in docs/output.md).
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// Output format of commands that print plain data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DoctorFormat::Human)]
    pub format: DoctorFormat,

    /// List the checks instead of running them.
    #[arg(long)]
    pub list_checks: bool,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// Deadline for the whole run, network probes included (e.g. 500ms, 3s, 1m).
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = humantime::parse_duration)]
    pub timeout: Duration,

    /// Skip every check that needs the network, saying so in the report.
    #[arg(long)]
    pub offline: bool,

    /// Also lint this OpenTelemetry Collector (or Jaeger v2) config YAML, and check it against the
    /// app's settings.
    #[arg(long, value_name = "FILE")]
    pub collector_config: Option<PathBuf>,

    /// Run only these checks: ids, names or family names, comma-separated or repeated.
    #[arg(long, value_name = "CHECK", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Do not run these checks: ids, names or family names, comma-separated or repeated.
    #[arg(long, value_name = "CHECK", value_delimiter = ',')]
    pub skip: Vec<String>,

    /// Change a check's severity, e.g. --severity SVC004=info (id or name; repeatable).
    #[arg(long, value_name = "CHECK=LEVEL")]
    pub severity: Vec<String>,

    /// The lowest severity that makes the run exit 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Severity::Error)]
    pub fail_on: Severity,
}

/// Where the app's settings come from.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Read settings from a dotenv / docker --env-file style file (KEY=VALUE lines); repeatable,
    /// later files win.
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// How --env-file is read: dotenv (quotes removed, `export ` and comments allowed) or docker
    /// (`docker run --env-file`: the value is everything after `=`, quotes included).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = EnvFileFormat::Dotenv)]
    pub env_file_format: EnvFileFormat,

    /// Set one setting as the app would see it, e.g. --set OTEL_SERVICE_NAME=checkout; repeatable,
    /// wins over the environment and env files.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Ignore this process's environment: only --env-file and --set count.
    #[arg(long)]
    pub no_env: bool,

    /// Apply this SDK's documented defaults where they differ from the spec (default protocol,
    /// default service name, timeout units).
    #[arg(long, value_enum, default_value_t = Sdk::Spec)]
    pub sdk: Sdk,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The trace export to read; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DoctorFormat::Human)]
    pub format: DoctorFormat,

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

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A check id (e.g. SVC001) or name (e.g. service-name-unset).
    #[arg(value_name = "ID|NAME")]
    pub check: String,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DataFormat::Human)]
    pub format: DataFormat,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_help_has_examples() {
        let mut cmd = Cli::command();
        cmd.build();
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let help = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(
                help.contains("Examples:"),
                "`tracectl {} --help` has no examples",
                sub.get_name()
            );
        }
    }
}
