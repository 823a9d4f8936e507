//! The wire protocols `send-test-span` speaks: their names, default ports and paths.

use clap::ValueEnum;
use serde::Serialize;

use crate::protocol::wire::Wire;
use crate::settings::OtlpProtocol;

/// The wire protocol `send-test-span` speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ValueEnum)]
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

impl SendProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            SendProtocol::Grpc => "grpc",
            SendProtocol::HttpProtobuf => "http/protobuf",
            SendProtocol::HttpJson => "http/json",
            SendProtocol::JaegerUdpCompact => "jaeger-udp-compact",
            SendProtocol::JaegerUdpBinary => "jaeger-udp-binary",
            SendProtocol::JaegerHttp => "jaeger-http",
            SendProtocol::Zipkin => "zipkin",
        }
    }

    pub(super) fn from_otlp(p: OtlpProtocol) -> SendProtocol {
        match p {
            OtlpProtocol::Grpc => SendProtocol::Grpc,
            OtlpProtocol::HttpProtobuf => SendProtocol::HttpProtobuf,
            OtlpProtocol::HttpJson => SendProtocol::HttpJson,
        }
    }

    pub fn is_otlp(self) -> bool {
        matches!(
            self,
            SendProtocol::Grpc | SendProtocol::HttpProtobuf | SendProtocol::HttpJson
        )
    }

    pub fn is_udp(self) -> bool {
        matches!(
            self,
            SendProtocol::JaegerUdpCompact | SendProtocol::JaegerUdpBinary
        )
    }

    /// Its row in the wire table.
    pub fn wire(self) -> Wire {
        match self {
            SendProtocol::Grpc => Wire::OtlpGrpc,
            SendProtocol::HttpProtobuf => Wire::OtlpHttpProtobuf,
            SendProtocol::HttpJson => Wire::OtlpHttpJson,
            SendProtocol::JaegerUdpCompact => Wire::JaegerUdpCompact,
            SendProtocol::JaegerUdpBinary => Wire::JaegerUdpBinary,
            SendProtocol::JaegerHttp => Wire::JaegerHttp,
            SendProtocol::Zipkin => Wire::Zipkin,
        }
    }

    /// The port receivers of this protocol listen on by convention.
    pub fn default_port(self) -> u16 {
        self.wire().default_port()
    }

    /// The path an HTTP receiver takes spans on (empty for gRPC and UDP).
    pub fn default_path(self) -> &'static str {
        self.wire().path().unwrap_or_default()
    }
}
