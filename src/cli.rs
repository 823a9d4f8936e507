//! The command line, declared with clap derive. Declarations only: `cmd/` holds the glue.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Severity;
use crate::settings::Sdk;

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
    /// Print a shell completion script to standard output.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the man page (roff) to standard output.
    #[command(after_help = MAN_HELP)]
    Man,
    /// Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog,
    /// grpc-trace-bin, sw8), or convert them to another format.
    #[command(after_help = DECODE_HEADER_HELP)]
    DecodeHeader(DecodeHeaderArgs),
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

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable env file, or internal error";

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

const DECODE_HEADER_HELP: &str = "\
Each HEADER is `Name: value` (curl -v lines, -H '...' fragments and quotes are fine) or a bare
value, whose format is guessed from its shape unless --as names it. All arguments form one
request. With no HEADER (or `-`), stdin is read: one header per line, a blank line ends a request;
--each-line makes every line its own request. JSON schema: docs/decode-header.md.

Examples:
  tracectl decode-header 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  tracectl decode-header 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'
  curl -sv https://example.com 2>&1 | grep -i '^> ' | tracectl decode-header
  grep -o 'traceparent=[^ ]*' access.log | cut -d= -f2 | tracectl decode-header --each-line --format json
  tracectl decode-header --to b3 'uber-trace-id: abc:def:0:1'
  if tracectl decode-header -q \"$h\"; then echo valid; fi

Exit codes:
  0  every header is valid
  1  a header is invalid (or --to found no trace context to convert)
  2  usage error or unreadable input";

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
pub struct ExplainArgs {
    /// A check id (e.g. SVC001) or name (e.g. service-name-unset).
    #[arg(value_name = "ID|NAME")]
    pub check: String,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DataFormat::Human)]
    pub format: DataFormat,
}

#[derive(Debug, Args)]
pub struct DecodeHeaderArgs {
    /// Headers as `Name: value` or bare values; none or `-` reads stdin.
    #[arg(value_name = "HEADER", allow_hyphen_values = true)]
    pub headers: Vec<std::ffi::OsString>,

    /// Decode every line on its own (e.g. values grepped out of access logs) instead of grouping
    /// lines into requests.
    #[arg(long)]
    pub each_line: bool,

    /// Read bare values as this header instead of guessing from their shape.
    #[arg(long = "as", value_name = "FORMAT",
          value_parser = clap::builder::PossibleValuesParser::new(tracectl_propagation::AS_NAMES))]
    pub as_format: Option<String>,

    /// Trace Context level whose rules apply where levels differ: tracestate keys, duplicate
    /// keys, the random flag.
    #[arg(long, value_name = "1|2", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub level: u8,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DataFormat::Human)]
    pub format: DataFormat,

    /// Print each request's trace context as headers of this format, saying what cannot be
    /// carried over.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: Option<ToFormat>,

    /// Print nothing: the exit code alone says whether every header is valid.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The formats `decode-header --to` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ToFormat {
    /// traceparent
    W3c,
    /// b3 single header
    B3,
    /// X-B3-TraceId, X-B3-SpanId, X-B3-Sampled / X-B3-Flags
    B3multi,
    /// uber-trace-id
    Jaeger,
    /// X-Amzn-Trace-Id
    Xray,
    /// x-datadog-trace-id, x-datadog-parent-id, x-datadog-sampling-priority, x-datadog-tags
    Datadog,
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
