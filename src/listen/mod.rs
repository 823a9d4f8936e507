//! `tracectl listen`: receive spans on every tracing port at once, show them, and diagnose what
//! arrives, including traffic no real receiver would accept.
//!
//! One file per listener ([`otlp_grpc`], [`otlp_http`], [`jaeger_udp`], [`jaeger_http`],
//! [`zipkin`]); each hands what it decoded to the [`sink`] (a bounded channel with counters), and
//! reports what it saw on the wire as an [`Observation`]. The sink renders span lines on the
//! receiving task ([`output`], [`json_line`]); one consumer writes them, keeps the statistics and
//! turns spans and observations into findings ([`diagnosis`]).

pub mod budget;
pub mod conn;
pub mod convert;
pub mod diagnosis;
pub mod estimate;
mod grpc_export;
mod grpc_guard;
mod http;
pub mod jaeger_http;
pub mod jaeger_udp;
pub mod json_line;
pub mod limit;
pub mod otlp_grpc;
pub mod otlp_http;
pub mod output;
pub mod run;
pub mod sink;
pub mod span_ref;
pub mod zipkin;

use std::fmt;
use std::net::SocketAddr;
use std::time::SystemTime;

use serde::Serialize;

use crate::protocol::jaeger::Encoding;
use crate::protocol::otlp::ExportTraceServiceRequest;
use crate::protocol::wire::Wire;
use crate::trace::span_line::SpanLine;

/// The largest HTTP body or gRPC message accepted, after decompression.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Connections each TCP listener holds open at once unless `--max-connections` says otherwise.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 256;

/// The memory budget unless `--max-memory` says otherwise.
pub const DEFAULT_MAX_MEMORY: u64 = 256 * 1024 * 1024;

/// The most characters of a sender-chosen text (path, content type, service name) kept in an
/// observation or finding.
pub const MAX_TEXT: usize = 256;

/// `text` cut to [`MAX_TEXT`] characters, with `…` when cut.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()),
        None => text.to_owned(),
    }
}

/// One of the receivers `listen` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Listener {
    OtlpGrpc,
    OtlpHttp,
    JaegerCompact,
    JaegerBinary,
    JaegerHttp,
    Zipkin,
}

impl Listener {
    pub const ALL: [Listener; 6] = [
        Listener::OtlpGrpc,
        Listener::OtlpHttp,
        Listener::JaegerCompact,
        Listener::JaegerBinary,
        Listener::JaegerHttp,
        Listener::Zipkin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Listener::OtlpGrpc => "otlp-grpc",
            Listener::OtlpHttp => "otlp-http",
            Listener::JaegerCompact => "jaeger-compact",
            Listener::JaegerBinary => "jaeger-binary",
            Listener::JaegerHttp => "jaeger-http",
            Listener::Zipkin => "zipkin",
        }
    }

    /// The well-known port senders default to.
    pub fn default_port(self) -> u16 {
        match self {
            Listener::OtlpGrpc => Wire::OtlpGrpc.default_port(),
            Listener::OtlpHttp => Wire::OtlpHttpProtobuf.default_port(),
            Listener::JaegerCompact => Encoding::Compact.agent_port(),
            Listener::JaegerBinary => Encoding::Binary.agent_port(),
            Listener::JaegerHttp => Wire::JaegerHttp.default_port(),
            Listener::Zipkin => Wire::Zipkin.default_port(),
        }
    }

    pub fn udp(self) -> bool {
        matches!(self, Listener::JaegerCompact | Listener::JaegerBinary)
    }

    /// What it accepts, for the banner.
    pub fn accepts(self) -> &'static str {
        match self {
            Listener::OtlpGrpc => "OTLP gRPC TraceService/Export (gzip)",
            Listener::OtlpHttp => "OTLP HTTP POST /v1/traces (protobuf, JSON, gzip)",
            Listener::JaegerCompact => "Jaeger agent emitBatch, thrift compact",
            Listener::JaegerBinary => "Jaeger agent emitBatch, thrift binary",
            Listener::JaegerHttp => "Jaeger collector POST /api/traces (thrift binary)",
            Listener::Zipkin => "Zipkin POST /api/v2/spans (JSON)",
        }
    }
}

impl fmt::Display for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What carried a span: the `protocol` of a [`SpanLine`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    OtlpGrpc,
    OtlpHttpProtobuf,
    OtlpHttpJson,
    JaegerCompact,
    JaegerBinary,
    JaegerHttp,
    Zipkin,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::OtlpGrpc => "otlp-grpc",
            Protocol::OtlpHttpProtobuf => "otlp-http-protobuf",
            Protocol::OtlpHttpJson => "otlp-http-json",
            Protocol::JaegerCompact => "jaeger-compact",
            Protocol::JaegerBinary => "jaeger-binary",
            Protocol::JaegerHttp => "jaeger-http",
            Protocol::Zipkin => "zipkin",
        }
    }

    pub fn of_thrift(encoding: Encoding) -> Protocol {
        match encoding {
            Encoding::Compact => Protocol::JaegerCompact,
            Encoding::Binary => Protocol::JaegerBinary,
        }
    }
}

/// Where something arrived: which listener, on which local port, from whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub listener: Listener,
    pub port: u16,
    pub peer: SocketAddr,
}

/// Spans decoded from one request or datagram.
#[derive(Debug, Clone)]
pub struct Received {
    pub origin: Origin,
    pub at: SystemTime,
    pub batch: Batch,
}

/// The spans of one request as decoded. OTLP stays the protobuf message, read in place through
/// [`span_ref`] (no copy per span); the other protocols are converted to span lines.
#[derive(Debug, Clone)]
pub enum Batch {
    Otlp {
        request: ExportTraceServiceRequest,
        protocol: Protocol,
    },
    Lines(Vec<SpanLine>),
}

/// Something seen on the wire that a finding may come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub origin: Origin,
    pub seen: Seen,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// A thrift datagram in the other encoding than the port's: decoded anyway, or dropped as
    /// an agent drops it when `strict`.
    ThriftEncoding {
        got: Encoding,
        service: String,
        strict: bool,
    },
    /// An HTTP/1.x request on the gRPC port.
    Http1OnGrpc { request_line: String },
    /// A gRPC (HTTP/2) call on an HTTP port; `served` when it was an OTLP export that listen
    /// decoded anyway.
    GrpcOnHttp { path: String, served: bool },
    /// A TLS handshake on a plaintext port.
    Tls,
    /// A request for a path this port does not serve.
    WrongPath {
        method: String,
        path: String,
        content_type: String,
    },
    /// A body type this path does not take.
    WrongContentType { path: String, content_type: String },
    /// Bytes that do not decode as what the port takes.
    Malformed { what: String, error: String },
    /// A datagram or body over the size limit, refused.
    Oversize { size: usize, limit: usize },
}

/// A snapshot of the [`sink`]'s counters: what listen refused, dropped or forgot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Spans decoded but dropped because the queue was full.
    pub dropped_spans: u64,
    /// Diagnoses dropped because the queue was full.
    pub dropped_observations: u64,
    /// Datagrams and bodies refused for their size.
    pub refused_oversize: u64,
    /// Datagrams and bodies that did not decode.
    pub malformed: u64,
    /// TCP connections closed at once because the listener held its maximum.
    pub refused_connections: u64,
    /// Requests refused (answered 503 or 413) because their bytes did not fit --max-memory.
    pub refused_memory: u64,
    /// Connections closed for sending no request within the head timeout, nothing within the
    /// idle timeout, or to make room for a new one when the listener was full.
    pub closed_idle: u64,
    /// Findings not reported because listen already holds the most distinct causes it keeps
    /// (filled in by the consumer).
    pub unreported_findings: u64,
    /// Spans the parent/child checks forgot, oldest first, to keep their memory bounded
    /// (filled in by the consumer).
    pub forgotten_spans: u64,
}
