//! `tracectl send-test-span`: send a synthetic trace and print a receipt.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{DataFormat, SettingsArgs, duration, positive_duration, timeout};
use crate::protocol::trace::SpanKind;
use crate::send::SendProtocol;

pub(super) const SEND_TEST_SPAN_HELP: &str = "\
With no --endpoint and no --protocol the span goes where an app configured by the current
OTEL_* environment would send it (the same settings doctor reads), by the spec's defaults.

Examples:
  tracectl send-test-span
  tracectl send-test-span --endpoint http://collector:4317 --protocol grpc
  tracectl send-test-span --protocol http/json --service checkout --attr user.id=42 --status error
  tracectl send-test-span --protocol jaeger-udp-compact --endpoint agent:6831 --spans 5
  tracectl send-test-span --protocol zipkin --endpoint http://zipkin:9411 --format json
  tracectl send-test-span --parent \"$TRACEPARENT\" --header authorization=\"Bearer $TOKEN\"
  tracectl send-test-span --endpoint http://collector:4318 --protocol http/protobuf \\
    --verify http://jaeger:16686 --verify-timeout 30s

Exit codes:
  0  the receiver accepted every span (UDP: sent and not refused); with --verify, every span
     was read back
  1  rejected, partially rejected, or unreachable; with --verify, not found or incomplete
  2  usage error, or an unreadable env file or TLS file given by flag";

/// Request body compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compression {
    Gzip,
    None,
}

#[derive(Debug, Args)]
pub struct SendTestSpanArgs {
    /// Where to send: a URL (http://host:4318, https://host:4317) or, for UDP, host:port. An HTTP
    /// URL without a path gets the protocol's path (/v1/traces, /api/traces, /api/v2/spans).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,

    /// The protocol; default: OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL, else the SDK's default.
    #[arg(long, value_enum)]
    pub protocol: Option<SendProtocol>,

    /// Receipt format.
    #[arg(long, short = 'f', value_enum, default_value_t = DataFormat::Human)]
    pub format: DataFormat,

    #[command(flatten)]
    pub settings: SettingsArgs,

    /// The service name (resource attribute service.name); default: the name the app's settings
    /// give (OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES; JAEGER_SERVICE_NAME
    /// for a Jaeger client), else `tracectl`.
    #[arg(long)]
    pub service: Option<String>,

    /// The root span's name.
    #[arg(long, default_value = "tracectl test span")]
    pub name: String,

    /// The root span's kind.
    #[arg(long, value_enum, default_value_t = SpanKind::Internal)]
    pub kind: SpanKind,

    /// A span attribute, typed from its text: int, float, true/false, else string (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,

    /// A resource attribute, typed like --attr (repeatable).
    #[arg(long = "resource-attr", value_name = "KEY=VALUE")]
    pub resource_attrs: Vec<String>,

    /// An event on the root span (repeatable).
    #[arg(long = "event", value_name = "NAME")]
    pub events: Vec<String>,

    /// The root span's status.
    #[arg(long, value_enum)]
    pub status: Option<SpanStatusArg>,

    /// How many spans: one root and N-1 children.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub spans: u32,

    /// Continue this trace (a W3C traceparent); also read from the TRACEPARENT variable.
    #[arg(long, value_name = "TRACEPARENT", env = "TRACEPARENT")]
    pub parent: Option<String>,

    /// A request header, name=value or curl's 'Name: value', e.g. authorization=Bearer x
    /// (repeatable; values are redacted in output and never quoted in errors). Adds to
    /// OTEL_EXPORTER_OTLP_[TRACES_]HEADERS.
    #[arg(long = "header", value_name = "KEY=VALUE")]
    pub headers: Vec<String>,

    /// For gRPC without a scheme: plaintext instead of TLS (like OTEL_EXPORTER_OTLP_INSECURE).
    #[arg(long)]
    pub insecure: bool,

    /// PEM file of the CA to trust (default: OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,

    /// PEM client certificate for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE).
    #[arg(long, value_name = "FILE")]
    pub client_cert: Option<PathBuf>,

    /// PEM client key for mutual TLS (default: OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY).
    #[arg(long, value_name = "FILE")]
    pub client_key: Option<PathBuf>,

    /// Body compression (default: OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION, else none).
    #[arg(long, value_enum)]
    pub compression: Option<Compression>,

    /// Load mode: spans per second to send, 0 = as fast as possible (OTLP: gRPC or HTTP); each
    /// request carries one trace of --spans spans.
    #[arg(long, value_name = "N")]
    pub rate: Option<u64>,

    /// Load mode: how long to send (at most 7 days).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = positive_duration)]
    pub duration: Duration,

    /// Load mode: concurrent senders, each with its own connection (one gRPC connection is
    /// latency-bound; 8 keep a collector busy, docs/send-test-span.md).
    #[arg(long, value_name = "W", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub workers: u32,

    /// Deadline for the send, connection included (e.g. 500ms, 3s; 10ms to 1h).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = timeout)]
    pub timeout: Duration,

    /// Read the trace back from this Jaeger query service (e.g. http://jaeger:16686): every span
    /// sent must arrive; exit 1 otherwise.
    #[arg(long, value_name = "URL", conflicts_with = "rate")]
    pub verify: Option<String>,

    /// How long after the send --verify waits for the trace to show up in the query service (at
    /// most 7 days).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = duration)]
    pub verify_timeout: Duration,

    /// A request header for the query service, name=value or 'Name: value', e.g.
    /// authorization=Bearer x (repeatable; values are redacted in output). An https query URL trusts --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE).
    #[arg(long = "verify-header", value_name = "KEY=VALUE", requires = "verify")]
    pub verify_headers: Vec<String>,
}

/// `--status` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpanStatusArg {
    Ok,
    Error,
}
