//! `tracectl listen`: receive on every tracing port and diagnose what arrives.

use std::time::Duration;

use clap::Args;

use super::{DataFormat, count, duration, positive_duration};

pub(super) const LISTEN_HELP: &str = "\
Listens on 127.0.0.1 unless --bind says otherwise: OTLP gRPC 4317, OTLP HTTP 4318 (/v1/traces,
protobuf and JSON, gzip), Jaeger UDP 6831 (compact) and 6832 (binary), Jaeger HTTP 14268
(/api/traces), Zipkin 9411 (/api/v2/spans). Each listener takes a port, IP:PORT or off. A port in
use is reported and the others still start. Traffic on the wrong port is decoded where possible and
named (tracectl explain LSN001). JSON lines: docs/listen.md.

Examples:
  tracectl listen
  tracectl listen --only otlp-grpc,otlp-http --otlp-grpc 14317
  tracectl listen --format json --count 3 --duration 30s > spans.jsonl   # CI sink
  tracectl listen --bind 0.0.0.0 --jaeger-compact off
  tracectl listen --skew-threshold 5s --summary-every 1m

Exit codes:
  0  the expected spans arrived (--count N, or at least one)
  1  fewer spans arrived before --duration passed or Ctrl-C
  2  usage error, or no listener could start";

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Output format: aligned lines for people, or one JSON object per span (JSON Lines).
    #[arg(long, short = 'f', value_enum, default_value_t = DataFormat::Human)]
    pub format: DataFormat,

    /// The address every listener binds unless moved; 0.0.0.0 exposes them to other machines.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Run only these listeners (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    pub only: Vec<crate::listen::Listener>,

    /// OTLP gRPC listener: PORT, IP:PORT or off.
    #[arg(long, value_name = "ADDR", default_value = "4317")]
    pub otlp_grpc: String,

    /// OTLP HTTP listener (/v1/traces): PORT, IP:PORT or off.
    #[arg(long, value_name = "ADDR", default_value = "4318")]
    pub otlp_http: String,

    /// Jaeger agent UDP listener for thrift compact: PORT, IP:PORT or off.
    #[arg(long, value_name = "ADDR", default_value = "6831")]
    pub jaeger_compact: String,

    /// Jaeger agent UDP listener for thrift binary: PORT, IP:PORT or off.
    #[arg(long, value_name = "ADDR", default_value = "6832")]
    pub jaeger_binary: String,

    /// Jaeger collector HTTP listener (/api/traces): PORT, IP:PORT or off.
    #[arg(long, value_name = "ADDR", default_value = "14268")]
    pub jaeger_http: String,

    /// Zipkin HTTP listener (/api/v2/spans): PORT, IP:PORT or off.
    #[arg(long, value_name = "ADDR", default_value = "9411")]
    pub zipkin: String,

    /// Stop after this many spans (1 or more); exit 0 if they arrived.
    #[arg(long, value_name = "N", value_parser = count)]
    pub count: Option<u64>,

    /// Stop after this long (e.g. 30s, 2m; at most 7 days); exit 1 if fewer spans than expected
    /// arrived.
    #[arg(long, value_name = "DURATION", value_parser = positive_duration)]
    pub duration: Option<Duration>,

    /// Report a sender whose span end times are further than this from the receive time (at most
    /// 7 days).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = duration)]
    pub skew_threshold: Duration,

    /// How often to print the per-service summary while spans arrive (at most 7 days).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = positive_duration)]
    pub summary_every: Duration,

    /// The most TCP connections each listener holds open at once; more are closed and counted.
    #[arg(long, value_name = "N", default_value_t = crate::listen::DEFAULT_MAX_CONNECTIONS, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
}
