//! `tracectl listen`: receive on every tracing port and diagnose what arrives.

use std::time::Duration;

use clap::Args;

use super::{DataFormat, count, duration, positive_duration};
use crate::rule::Severity;

pub(super) const LISTEN_HELP: &str = "\
Listens on 127.0.0.1 unless --bind says otherwise: OTLP gRPC 4317, OTLP HTTP 4318 (/v1/traces,
protobuf and JSON, gzip), Jaeger UDP 6831 (compact) and 6832 (binary), Jaeger HTTP 14268
(/api/traces), Zipkin 9411 (/api/v2/spans). Each listener takes a port, IP:PORT or off. A port in
use is reported and the others still start. Traffic on the wrong port is decoded where possible and
named (tracectl explain LSN001). JSON lines: docs/listen.md.

Examples:
  tracectl listen
  tracectl listen --only otlp-grpc,otlp-http --otlp-grpc 14317
  tracectl listen --format json --count 3 --duration 30s --strict > spans.jsonl   # CI sink
  tracectl listen --bind 0.0.0.0 --jaeger-compact off
  tracectl listen --skew-threshold 5s --summary-every 1m
  tracectl listen --max-memory 1GiB --max-connections 1024 --idle-timeout 2m

Limits (docs/listen.md): bodies and gRPC messages 8 MiB; --max-memory for everything held per
request; --max-connections per listener; a connection is closed when it sends no request within
5 s, or nothing for --idle-timeout after one; 100 gRPC calls at once per connection.

Exit codes:
  0  the expected spans arrived (--count N, or at least one) and no finding at or above --fail-on
  1  fewer spans arrived before --duration passed or Ctrl-C, or a finding at or above --fail-on
     (error by default: a sender at the wrong port, path, protocol or encoding)
  2  usage error, or no listener could start";

/// A byte size such as 256MiB, 1GiB or 100000000.
fn byte_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| "write a number of bytes with a unit, e.g. 256MiB or 1GiB".to_owned())?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit {other:?}: use KiB, MiB or GiB")),
    };
    let bytes = number.saturating_mul(scale);
    if !(MIN_MEMORY..=MAX_MEMORY).contains(&bytes) {
        return Err("it must be between 32MiB and 64GiB".into());
    }
    Ok(bytes)
}

const MIN_MEMORY: u64 = 32 << 20;
const MAX_MEMORY: u64 = 64 << 30;

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

    /// The memory listen may hold for requests (bodies, decoded spans, the queue) and its
    /// parent/child checks; requests that do not fit are refused (503) and counted.
    #[arg(long, value_name = "BYTES", default_value = "256MiB", value_parser = byte_size)]
    pub max_memory: u64,

    /// Close a connection that sends nothing for this long after a request.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = positive_duration)]
    pub idle_timeout: Duration,

    /// Answer traffic for another protocol, path or encoding as a real receiver would, so the
    /// sender's exporter fails too (gRPC on the HTTP port: 404; thrift in the other encoding:
    /// dropped). It is still named.
    #[arg(long)]
    pub strict: bool,

    /// The lowest severity of a finding that makes listen exit 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Severity::Error)]
    pub fail_on: Severity,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sizes_take_units_and_bounds() {
        assert_eq!(byte_size("256MiB"), Ok(256 << 20));
        assert_eq!(byte_size("1GiB"), Ok(1 << 30));
        assert_eq!(byte_size("1 gb"), Ok(1 << 30));
        assert_eq!(byte_size("40000000"), Ok(40_000_000));
        assert!(byte_size("1MiB").unwrap_err().contains("between"));
        assert!(byte_size("99999999999GiB").unwrap_err().contains("between"));
        assert!(byte_size("lots").is_err());
        assert!(byte_size("5 parsecs").unwrap_err().contains("unit"));
    }
}
