//! The command line, declared with clap derive: one file per command, each help text beside its
//! arguments. Declarations only: `cmd/` holds the glue.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

mod analyze;
mod check_propagation;
mod decode_header;
mod deploy;
mod doctor;
mod explain;
mod listen;
mod send_test_span;

use analyze::ANALYZE_HELP;
use check_propagation::CHECK_PROPAGATION_HELP;
use decode_header::DECODE_HEADER_HELP;
use doctor::DOCTOR_HELP;
use explain::{COMPLETIONS_HELP, EXPLAIN_HELP, MAN_HELP};
use listen::LISTEN_HELP;
use send_test_span::SEND_TEST_SPAN_HELP;

pub use analyze::AnalyzeArgs;
pub use check_propagation::{CheckPropagationArgs, InjectFormat};
pub use decode_header::{DecodeHeaderArgs, ToFormat};
pub use deploy::DeployArgs;
pub use doctor::{DoctorArgs, DoctorFormat, OutputTarget, ReportArgs, SettingsArgs};
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
    Doctor(Box<DoctorArgs>),
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
    /// Send a request with a fresh trace context to a running service and prove that it continues
    /// the trace and forwards it downstream.
    #[command(after_help = CHECK_PROPAGATION_HELP)]
    CheckPropagation(Box<CheckPropagationArgs>),
}

/// The longest span of time a duration flag takes (`--duration`, `--summary-every`,
/// `--skew-threshold`, `--verify-timeout`): a week. Longer runs belong to a service manager, and
/// bounding it keeps every deadline computed from it representable (docs/limits.md).
pub const MAX_DURATION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The longest network deadline (`--timeout`): an hour; a probe that waits longer never answers.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// The shortest network deadline (`--timeout`): 10 ms, below which not even a loopback connection
/// and its answer fit, so every verdict would be a timeout of tracectl's own making.
pub const MIN_TIMEOUT: Duration = Duration::from_millis(10);

/// A duration such as 500ms, 3s or 1m, at most [`MAX_DURATION`].
pub(super) fn duration(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text)
        .map_err(|_| "not a duration: write a number and a unit, e.g. 500ms, 3s or 1m")?;
    if d > MAX_DURATION {
        return Err("it must be at most 7 days, e.g. 30s, 2h or 7days".into());
    }
    Ok(d)
}

/// A duration longer than zero and at most [`MAX_DURATION`].
pub(super) fn positive_duration(text: &str) -> Result<Duration, String> {
    match duration(text)? {
        d if d.is_zero() => Err("it must be longer than 0, e.g. 500ms, 3s or 1m".into()),
        d => Ok(d),
    }
}

/// A network deadline: from [`MIN_TIMEOUT`] (10ms) to [`MAX_TIMEOUT`] (1h).
pub(super) fn timeout(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text)
        .map_err(|_| "not a duration: write a number and a unit, e.g. 500ms, 3s or 1m")?;
    if d < MIN_TIMEOUT {
        return Err("it must be at least 10ms: a shorter deadline times out every probe".into());
    }
    if d > MAX_TIMEOUT {
        return Err("it must be at most 1h: a probe that waits longer never answers".into());
    }
    Ok(d)
}

/// A count of 1 or more (`listen --count`): waiting for no span would end before starting.
pub(super) fn count(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("it must be at least 1: the number of spans to wait for".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("not a whole number, e.g. 1 or 100".into()),
    }
}

/// A host name or IP address (`[::1]` or `::1` for IPv6), without scheme, path or port.
pub(super) fn host(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.contains("://") || t.contains('/') {
        return Err(
            "write a host name or IP address, not a URL: drop the scheme and path, \
                    e.g. collector or 10.0.0.5"
                .into(),
        );
    }
    let bare = t
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(t);
    if bare.parse::<IpAddr>().is_ok() {
        return Ok(bare.to_string());
    }
    let name = t.strip_suffix('.').unwrap_or(t);
    if name
        .split('.')
        .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err("not an IP address: write four numbers from 0 to 255, e.g. 10.0.0.5".into());
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if name.len() > 253 || !name.split('.').all(label_ok) {
        return Err("not a host name: use letters, digits, '-' and '.' (e.g. \
                    collector.example.com), or an IP address"
            .into());
    }
    Ok(t.to_string())
}

/// A HOST that may be left out (`--scan` alone): empty, or [`host`].
pub(super) fn optional_host(text: &str) -> Result<String, String> {
    if text.is_empty() {
        Ok(String::new())
    } else {
        host(text)
    }
}

/// HOST or HOST:PORT (`[::1]:123` for IPv6), the port from 1 to 65535.
pub(super) fn host_port(text: &str) -> Result<String, String> {
    let t = text.trim();
    let port_error = || "the port must be a number from 1 to 65535, e.g. time.example.com:123";
    if t.contains('/') {
        return host(t);
    }
    if let Ok(sa) = t.parse::<SocketAddr>() {
        return if sa.port() == 0 {
            Err(port_error().into())
        } else {
            Ok(t.to_string())
        };
    }
    match t.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') || h.ends_with(']') => match p.parse::<u16>() {
            Ok(port) if port > 0 => host(h).map(|_| t.to_string()),
            _ => Err(port_error().into()),
        },
        _ => host(t),
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
    fn durations_are_bounded_both_ways() {
        assert_eq!(duration("0s"), Ok(Duration::ZERO));
        assert_eq!(duration("7days"), Ok(MAX_DURATION));
        assert!(duration("8days").unwrap_err().contains("at most 7 days"));
        assert!(duration("18446744073709551615s").is_err());
        assert!(positive_duration("0s").is_err());
        assert_eq!(timeout("10ms"), Ok(MIN_TIMEOUT));
        assert_eq!(timeout("1h"), Ok(MAX_TIMEOUT));
        assert!(timeout("1ns").unwrap_err().contains("at least 10ms"));
        assert!(timeout("61m").unwrap_err().contains("at most 1h"));
    }

    #[test]
    fn hosts_are_names_or_addresses() {
        assert_eq!(host("collector").as_deref(), Ok("collector"));
        assert_eq!(host("10.0.0.5").as_deref(), Ok("10.0.0.5"));
        assert_eq!(host("[::1]").as_deref(), Ok("::1"));
        assert_eq!(
            host("otel_collector.local.").as_deref(),
            Ok("otel_collector.local.")
        );
        assert!(
            host("999.999.999.999")
                .unwrap_err()
                .contains("not an IP address")
        );
        assert!(host("http://x").unwrap_err().contains("not a URL"));
        assert!(host("a b").unwrap_err().contains("not a host name"));
        assert!(host("").is_err());
        assert_eq!(
            host_port("pool.ntp.org:123").as_deref(),
            Ok("pool.ntp.org:123")
        );
        assert_eq!(host_port("[::1]:123").as_deref(), Ok("[::1]:123"));
        assert_eq!(host_port("::1").as_deref(), Ok("::1"));
        assert!(host_port("host:99999").unwrap_err().contains("1 to 65535"));
        assert!(host_port("host:0").is_err());
        assert!(host_port("127.0.0.1:0").is_err());
    }

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
