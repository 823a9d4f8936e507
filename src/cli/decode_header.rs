//! `tracectl decode-header`: decode and convert propagation headers.

use clap::{Args, ValueEnum};

use super::DataFormat;

pub(super) const DECODE_HEADER_HELP: &str = "\
Each HEADER is `Name: value` (curl -v lines, -H '...' fragments and quotes are fine) or a bare
value, whose format is guessed from its shape unless --as names it. All arguments form one
request. With no HEADER (or `-`), stdin is read: one header per line, a blank line ends a request;
--each-line makes every line its own request. JSON schema: docs/decode-header.md.

Examples:
  tracectl decode-header 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  tracectl decode-header 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'
  curl -sv https://example.com 2>&1 | grep -i '^> ' | tracectl decode-header
  grep -o 'traceparent=[^ ]*' access.log | tracectl decode-header --each-line -f json
  tracectl decode-header --to b3 'uber-trace-id: abc:def:0:1'
  if tracectl decode-header -q \"$h\"; then echo valid; fi

Exit codes:
  0  every header is valid
  1  a header is invalid (or --to found no trace context to convert)
  2  usage error or unreadable input";

#[derive(Debug, Args)]
pub struct DecodeHeaderArgs {
    /// Headers as `Name: value` or bare values; none or `-` reads stdin.
    #[arg(value_name = "HEADER", allow_hyphen_values = true)]
    pub headers: Vec<std::ffi::OsString>,

    /// Decode every line on its own (e.g. values grepped out of access logs) instead of grouping
    /// lines into requests; results are numbered by input line and a count ends the output.
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
