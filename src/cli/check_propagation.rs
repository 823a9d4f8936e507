//! `tracectl check-propagation`: prove that a running service continues an incoming trace and
//! forwards it downstream.

use std::time::Duration;

use clap::Args;

use super::{DoctorFormat, positive_duration};
use crate::rule::Severity;

pub use crate::check_propagation::inject::Format as InjectFormat;

pub(super) const CHECK_PROPAGATION_HELP: &str = "\
Sends a request with a fresh trace context to URL and judges what the service does with it: its
server span (received on --otlp-http / --otlp-grpc) must continue the trace, and the calls it makes
to the --downstream recorder must carry it on. Every verdict has an id (tracectl explain PRP001);
the run ends as soon as every verdict is decided. JSON: docs/check-propagation.md.

Examples:
  tracectl check-propagation --downstream 9100 --otlp-http 4318 http://localhost:8080/checkout
  tracectl check-propagation --inject b3multi --downstream 9100 http://localhost:8080/
  tracectl check-propagation --otlp-http 0 --downstream 0 --downstream-env PAYMENTS_URL \\
      --ready http://127.0.0.1:8080/health --exec -- python app.py
  tracectl check-propagation -X POST -H 'content-type: application/json' --data '{}' \\
      --requests 5 --format json --downstream 9100 http://localhost:8080/orders

Exit codes:
  0  every verdict passed
  1  a finding at or above --fail-on, or an expected downstream call never arrived
  2  usage error, a listener could not start, the --exec service could not start, or the service
     never answered (the message says which)";

#[derive(Debug, Args)]
pub struct CheckPropagationArgs {
    /// The service's URL to send the request to.
    #[arg(value_name = "URL")]
    pub url: String,

    /// HTTP method of the request.
    #[arg(long, short = 'X', value_name = "METHOD", default_value = "GET")]
    pub method: String,

    /// A request header, 'Name: value' (repeatable).
    #[arg(long, short = 'H', value_name = "HEADER")]
    pub header: Vec<String>,

    /// The request body.
    #[arg(long, value_name = "BODY")]
    pub data: Option<String>,

    /// How many requests to send, each with its own trace.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub requests: u32,

    /// Formats of the context sent (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST", default_values_t = [InjectFormat::Tracecontext, InjectFormat::Baggage])]
    pub inject: Vec<InjectFormat>,

    /// The trace id to send (32 hex digits); fresh by default.
    #[arg(long, value_name = "HEX")]
    pub trace_id: Option<String>,

    /// The parent span id to send (16 hex digits); fresh by default.
    #[arg(long, value_name = "HEX")]
    pub parent_id: Option<String>,

    /// The sampled flag sent.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub sampled: bool,

    /// A baggage member to send, k=v (repeatable); tracectl.check=1 by default.
    #[arg(long, value_name = "K=V")]
    pub baggage: Vec<String>,

    /// The tracestate sent with traceparent; checked downstream (PRP007).
    #[arg(long, value_name = "LIST")]
    pub tracestate: Option<String>,

    /// Record the service's outgoing calls here: PORT or IP:PORT (0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    pub downstream: Option<String>,

    /// Downstream calls expected per request.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub expect_downstream: u32,

    /// Receive the service's spans over OTLP gRPC: PORT or IP:PORT.
    #[arg(long, value_name = "ADDR")]
    pub otlp_grpc: Option<String>,

    /// Receive the service's spans over OTLP HTTP (/v1/traces): PORT or IP:PORT.
    #[arg(long, value_name = "ADDR")]
    pub otlp_http: Option<String>,

    /// Read the spans back from a Jaeger query service (e.g. http://jaeger:16686) by trace id.
    #[arg(long, value_name = "URL")]
    pub query_url: Option<String>,

    /// With --exec: the variable that gives the service the downstream URL.
    #[arg(long, value_name = "NAME", default_value = "DOWNSTREAM_URL")]
    pub downstream_env: String,

    /// With --exec: wait until this URL answers 2xx before sending (else retry the first request).
    #[arg(long, value_name = "URL")]
    pub ready: Option<String>,

    /// Start the service: its command line follows `--`, and it is stopped (its whole process
    /// group) at the end.
    #[arg(long, requires = "command")]
    pub exec: bool,

    /// The service's command line, after `--` (with --exec).
    #[arg(value_name = "CMD", last = true, requires = "exec")]
    pub command: Vec<String>,

    /// Output format: human and json show every request; github, sarif, junit and markdown
    /// report one check per verdict, as doctor does.
    #[arg(long, short = 'f', value_enum, default_value_t = DoctorFormat::Human)]
    pub format: DoctorFormat,

    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = Severity::Error)]
    pub fail_on: Severity,

    /// The whole run's deadline.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = positive_duration)]
    pub timeout: Duration,
}
