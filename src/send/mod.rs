//! Sending a synthetic trace over one protocol and recording what the receiver answered.
//!
//! [`target`] decides the protocol and URL (flags, else the app's OTEL_* settings); one module per
//! transport sends; [`cause`] turns a failure into a plain cause; [`receipt`] is what is printed,
//! by [`output`].

pub mod cause;
mod http;
pub mod jaeger_http;
pub mod jaeger_udp;
pub mod load;
pub mod otlp_grpc;
pub mod otlp_http;
pub mod output;
mod protocol;
pub mod receipt;
pub mod target;
mod tls;
pub mod verify;
pub mod zipkin;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use url::Url;

use crate::protocol::trace::Trace;

pub use crate::text::error_chain;
pub use protocol::SendProtocol;
pub use target::Target;
pub use tls::check as check_tls;

/// How to reach the receiver, beyond its URL.
#[derive(Debug, Clone, Default)]
pub struct Transport {
    /// Request headers (gRPC metadata), values in clear: only receipts redact them.
    pub headers: Vec<(String, String)>,
    pub tls: TlsFiles,
    pub gzip: bool,
    pub timeout: Duration,
}

/// PEM files for TLS.
#[derive(Debug, Clone, Default)]
pub struct TlsFiles {
    pub ca: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
}

/// The outcome of one send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The receiver said it took every span.
    Accepted,
    /// UDP: the datagrams left and nothing refused them; a datagram has no reply.
    Sent,
    /// The receiver took some spans and refused others (OTLP `partial_success`).
    PartiallyRejected,
    /// The receiver answered with an error.
    Rejected,
    /// No answer: nothing listening, no route, a timeout, or the wrong protocol on the port.
    Unreachable,
    /// The connection was accepted, but no answer came before --timeout (a tarpit, a stuck
    /// receiver, a proxy that swallows the request).
    NoAnswer,
}

impl Verdict {
    pub fn is_success(self) -> bool {
        matches!(self, Verdict::Accepted | Verdict::Sent)
    }
}

/// OTLP `partial_success`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartialSuccess {
    pub rejected_spans: i64,
    pub error_message: String,
}

/// What came back from the receiver; fields not applicable to the protocol stay empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc_status: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grpc_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_success: Option<PartialSuccess>,
    /// The start of an error response's body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// UDP: how many datagrams carried the trace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datagrams: Option<usize>,
    /// Bytes of payload sent.
    pub bytes_sent: usize,
}

/// How a send went, before the cause is explained.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub verdict: Verdict,
    pub answer: Answer,
    /// The transport error, when there was no answer.
    pub error: Option<String>,
}

impl Delivery {
    /// The connection was accepted and the request sent, but nothing came back in `timeout`:
    /// no answer is recorded (tracectl's own timeout is not the receiver's).
    fn no_answer(timeout: Duration, bytes_sent: usize) -> Delivery {
        Delivery {
            verdict: Verdict::NoAnswer,
            answer: Answer {
                bytes_sent,
                ..Answer::default()
            },
            error: Some(format!(
                "the connection was accepted, but no answer came within --timeout ({})",
                humantime::format_duration(timeout)
            )),
        }
    }

    fn failed(error: String, bytes_sent: usize) -> Delivery {
        Delivery {
            verdict: Verdict::Unreachable,
            answer: Answer {
                bytes_sent,
                ..Answer::default()
            },
            error: Some(error),
        }
    }
}

/// Sends `trace` to `target`; never fails: every problem is in the delivery.
pub async fn send(trace: &Trace, target: &Target, transport: &Transport) -> (Delivery, Duration) {
    let started = Instant::now();
    let delivery = match target.protocol {
        SendProtocol::Grpc => otlp_grpc::send(trace, target, transport).await,
        SendProtocol::HttpProtobuf | SendProtocol::HttpJson => {
            otlp_http::send(trace, target, transport).await
        }
        SendProtocol::JaegerUdpCompact | SendProtocol::JaegerUdpBinary => {
            jaeger_udp::send(trace, target, transport).await
        }
        SendProtocol::JaegerHttp => jaeger_http::send(trace, target, transport).await,
        SendProtocol::Zipkin => zipkin::send(trace, target, transport).await,
    };
    (delivery, started.elapsed())
}

/// `--verify`: where to read the trace back, and how long after the send it may take to show up.
#[derive(Debug, Clone)]
pub struct Verify {
    pub query: Url,
    /// Counted from the start of the send.
    pub within: Duration,
    /// `--verify-header`: request headers for the query service (auth), values in clear: only
    /// receipts redact them.
    pub headers: Vec<(String, String)>,
    /// The CA to trust for an `https://` query URL (`--ca-file`, else the OTLP certificate variable).
    pub ca: Option<PathBuf>,
}

/// Sends `trace`, explains a failure (fixes worded in `terms`) and, with `verify`, reads the trace
/// back: the whole receipt.
pub async fn prove(
    trace: &Trace,
    target: &Target,
    transport: &Transport,
    verify: Option<&Verify>,
    terms: cause::Terms<'_>,
) -> receipt::Receipt {
    let (delivery, latency) = send(trace, target, transport).await;
    let deadline = cause::probe_deadline(latency, transport.timeout);
    let cause = cause::explain(&delivery, target, terms, deadline).await;
    let mut receipt =
        receipt::Receipt::new(trace, target, &transport.headers, delivery, latency, cause);
    let delivered = receipt.verdict.is_success() || receipt.verdict == Verdict::PartiallyRejected;
    if let Some(v) = verify.filter(|_| delivered) {
        let within = v.within.saturating_sub(latency);
        receipt.verification =
            Some(verify::verify(v, &receipt.trace_id, &receipt.span_ids, within).await);
    }
    receipt
}
