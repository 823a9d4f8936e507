//! The command line, declared with clap derive. Declarations only: `cmd/` holds the glue.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::protocol::trace::SpanKind;
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
  tracectl doctor --scan               # what answers on localhost's tracing ports
  tracectl doctor --scan collector --endpoint http://collector:16686
  tracectl doctor --ntp-server pool.ntp.org --timeout 2s
  tracectl doctor --collector-config otel-collector.yaml --set OTEL_EXPORTER_OTLP_PROTOCOL=grpc
  tracectl doctor --e2e --query-url http://jaeger:16686 --timeout 30s

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, unreadable env file or collector config, or internal error";

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
  tracectl completions fish > ~/.config/fish/completions/tracectl.fish

Exit codes:
  0  the script was printed
  2  usage error (e.g. a shell that is not listed)";

const MAN_HELP: &str = "\
Examples:
  tracectl man > tracectl.1 && man ./tracectl.1

Exit codes:
  0  the page was printed
  2  usage error";

const DECODE_HEADER_HELP: &str = "\
Each HEADER is `Name: value` (curl -v lines, -H '...' fragments and quotes are fine) or a bare
value, whose format is guessed from its shape unless --as names it. All arguments form one
request. With no HEADER (or `-`), stdin is read: one header per line, a blank line ends a request;
--each-line makes every line its own request. JSON schema: docs/decode-header.md.

Examples:
  tracectl decode-header 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  tracectl decode-header 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'
  curl -sv https://example.com 2>&1 | grep -i '^> ' | tracectl decode-header
  grep -o 'traceparent=[^ ]*' access.log | cut -d= -f2 | tracectl decode-header --each-line -f json
  tracectl decode-header --to b3 'uber-trace-id: abc:def:0:1'
  if tracectl decode-header -q \"$h\"; then echo valid; fi

Exit codes:
  0  every header is valid
  1  a header is invalid (or --to found no trace context to convert)
  2  usage error or unreadable input";
const SEND_TEST_SPAN_HELP: &str = "\
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
const LISTEN_HELP: &str = "\
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

/// A duration such as 500ms, 3s or 1m.
fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|_| "not a duration: write a number and a unit, e.g. 500ms, 3s or 1m".into())
}

/// A duration longer than zero: a zero deadline leaves no time to connect.
fn positive_duration(text: &str) -> Result<Duration, String> {
    match duration(text)? {
        d if d.is_zero() => Err("it must be longer than 0, e.g. 500ms, 3s or 1m".into()),
        d => Ok(d),
    }
}

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
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = positive_duration)]
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

    /// Probe the well-known tracing ports (4317, 4318, 6831/udp, 14250, 16686…) of HOST and show what
    /// answers where; HOST defaults to the OTLP endpoint's host, else localhost.
    #[arg(long, value_name = "HOST", num_args = 0..=1, default_missing_value = "")]
    pub scan: Option<String>,

    /// Also probe this endpoint, e.g. --endpoint http://collector:14268 (repeatable).
    #[arg(long = "endpoint", value_name = "URL")]
    pub endpoints: Vec<url::Url>,

    /// Measure the local clock against this SNTP server (HOST or HOST:PORT) instead of the servers
    /// in the host's chrony/ntp/timesyncd configuration.
    #[arg(long, value_name = "HOST")]
    pub ntp_server: Option<String>,
    /// Run the end-to-end check (PPL001): send one test span where the settings point and read it
    /// back through --query-url before the --timeout deadline.
    #[arg(long, requires = "query_url")]
    pub e2e: bool,

    /// The Jaeger query service for --e2e (the UI port), e.g. http://jaeger:16686.
    #[arg(long, value_name = "URL", requires = "e2e")]
    pub query_url: Option<String>,
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

/// The wire protocol `send-test-span` speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ValueEnum)]
pub enum SendProtocol {
    /// OTLP over gRPC (default port 4317).
    #[value(name = "grpc")]
    #[serde(rename = "grpc")]
    Grpc,
    /// OTLP protobuf over HTTP (port 4318, /v1/traces).
    #[value(name = "http/protobuf")]
    #[serde(rename = "http/protobuf")]
    HttpProtobuf,
    /// OTLP JSON over HTTP (port 4318, /v1/traces).
    #[value(name = "http/json")]
    #[serde(rename = "http/json")]
    HttpJson,
    /// Jaeger thrift compact over UDP to an agent (port 6831).
    #[value(name = "jaeger-udp-compact")]
    #[serde(rename = "jaeger-udp-compact")]
    JaegerUdpCompact,
    /// Jaeger thrift binary over UDP to an agent (port 6832).
    #[value(name = "jaeger-udp-binary")]
    #[serde(rename = "jaeger-udp-binary")]
    JaegerUdpBinary,
    /// Jaeger thrift binary over HTTP to a collector (port 14268, /api/traces).
    #[value(name = "jaeger-http")]
    #[serde(rename = "jaeger-http")]
    JaegerHttp,
    /// Zipkin v2 JSON over HTTP (port 9411, /api/v2/spans).
    #[value(name = "zipkin")]
    #[serde(rename = "zipkin")]
    Zipkin,
}

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

    /// The service name (resource attribute service.name).
    #[arg(long, default_value = "tracectl")]
    pub service: String,

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

    /// A request header, e.g. authorization=Bearer x (repeatable; values are redacted in output).
    /// Adds to OTEL_EXPORTER_OTLP_[TRACES_]HEADERS.
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

    /// Load mode: how long to send.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = positive_duration)]
    pub duration: Duration,

    /// Load mode: concurrent senders, each with its own connection (one gRPC connection is
    /// latency-bound; 8 keep a collector busy, docs/send-test-span.md).
    #[arg(long, value_name = "W", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub workers: u32,

    /// Deadline for the send, connection included (e.g. 500ms, 3s).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = positive_duration)]
    pub timeout: Duration,

    /// Read the trace back from this Jaeger query service (e.g. http://jaeger:16686): every span
    /// sent must arrive; exit 1 otherwise.
    #[arg(long, value_name = "URL", conflicts_with = "rate")]
    pub verify: Option<String>,

    /// How long after the send --verify waits for the trace to show up in the query service.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = duration)]
    pub verify_timeout: Duration,

    /// A request header for the query service, e.g. authorization=Bearer x (repeatable; values
    /// are redacted in output). An https query URL trusts --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE).
    #[arg(long = "verify-header", value_name = "KEY=VALUE", requires = "verify")]
    pub verify_headers: Vec<String>,
}

/// `--status` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpanStatusArg {
    Ok,
    Error,
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

    /// Stop after this many spans; exit 0 if they arrived.
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,

    /// Stop after this long (e.g. 30s, 2m); exit 1 if fewer spans than expected arrived.
    #[arg(long, value_name = "DURATION", value_parser = positive_duration)]
    pub duration: Option<Duration>,

    /// Report a sender whose span end times are further than this from the receive time.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = duration)]
    pub skew_threshold: Duration,

    /// How often to print the per-service summary while spans arrive.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = positive_duration)]
    pub summary_every: Duration,

    /// The most TCP connections each listener holds open at once; more are closed and counted.
    #[arg(long, value_name = "N", default_value_t = crate::listen::DEFAULT_MAX_CONNECTIONS, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
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
