//! The command line, declared with clap derive: one file per command, each help text beside its
//! arguments. Declarations only: `cmd/` holds the glue.

use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

mod analyze;
mod decode_header;
mod deploy;
mod doctor;
mod explain;
mod listen;
mod send_test_span;

use analyze::ANALYZE_HELP;
use decode_header::DECODE_HEADER_HELP;
use doctor::DOCTOR_HELP;
use explain::{COMPLETIONS_HELP, EXPLAIN_HELP, MAN_HELP};
use listen::LISTEN_HELP;
use send_test_span::SEND_TEST_SPAN_HELP;

pub use analyze::AnalyzeArgs;
pub use decode_header::{DecodeHeaderArgs, ToFormat};
pub use deploy::DeployArgs;
pub use doctor::{DoctorArgs, DoctorFormat, SettingsArgs};
pub use explain::{CompletionsArgs, ExplainArgs};
pub use listen::ListenArgs;
pub use send_test_span::{Compression, SendTestSpanArgs, SpanStatusArg};

pub use crate::send::SendProtocol;

const MAIN_EXAMPLES: &str = "\
Examples:
  tracectl doctor                          check the OTEL_*/JAEGER_* settings in this shell
  tracectl doctor --env-file prod.env      check the settings a deployment would get
  tracectl explain SVC001                  why a check exists and how to fix what it finds
  tracectl completions bash > /etc/bash_completion.d/tracectl

Exit codes:
  0  success: no finding at or above --fail-on, every span accepted, every header valid
  1  findings at or above --fail-on, a span rejected or lost, a header invalid, too few spans
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

pub use crate::style::ColorChoice;

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
    /// Decode and validate trace-context propagation headers (W3C, B3, Jaeger, X-Ray, Datadog,
    /// grpc-trace-bin, sw8), or convert them to another format.
    #[command(after_help = DECODE_HEADER_HELP)]
    DecodeHeader(DecodeHeaderArgs),
    /// Send a synthetic trace over any tracing protocol and print a receipt of what the receiver
    /// answered.
    #[command(after_help = SEND_TEST_SPAN_HELP)]
    SendTestSpan(Box<SendTestSpanArgs>),
    /// Receive spans on every tracing port at once, show them, and diagnose what arrives.
    #[command(after_help = LISTEN_HELP)]
    Listen(ListenArgs),
}

/// A duration such as 500ms, 3s or 1m.
pub(super) fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|_| "not a duration: write a number and a unit, e.g. 500ms, 3s or 1m".into())
}

/// A duration longer than zero: a zero deadline leaves no time to connect.
pub(super) fn positive_duration(text: &str) -> Result<Duration, String> {
    match duration(text)? {
        d if d.is_zero() => Err("it must be longer than 0, e.g. 500ms, 3s or 1m".into()),
        d => Ok(d),
    }
}

/// Output format of commands that print plain data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Human,
    Json,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// Each subcommand's name and the text after its options in `--help`.
    fn after_helps() -> Vec<(String, String)> {
        let mut cmd = Cli::command();
        cmd.build();
        cmd.get_subcommands()
            .filter(|s| s.get_name() != "help")
            .map(|sub| {
                let help = sub.get_after_help().map(|h| h.to_string());
                (sub.get_name().to_owned(), help.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn every_subcommand_help_has_examples() {
        for (name, help) in after_helps() {
            assert!(
                help.contains("Examples:"),
                "`tracectl {name} --help` has no examples"
            );
        }
    }

    #[test]
    fn every_subcommand_help_has_exit_codes() {
        for (name, help) in after_helps() {
            assert!(
                help.contains("\nExit codes:\n  0  "),
                "`tracectl {name} --help` has no exit codes"
            );
        }
    }
}
