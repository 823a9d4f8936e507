//! The wire protocols `send-test-span` speaks: their names, default ports and paths.

use clap::ValueEnum;
use serde::Serialize;

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

    /// The port receivers of this protocol listen on by convention.
    pub fn default_port(self) -> u16 {
        match self {
            SendProtocol::Grpc => 4317,
            SendProtocol::HttpProtobuf | SendProtocol::HttpJson => 4318,
            SendProtocol::JaegerUdpCompact => 6831,
            SendProtocol::JaegerUdpBinary => 6832,
            SendProtocol::JaegerHttp => 14268,
            SendProtocol::Zipkin => 9411,
        }
    }

    /// The path an HTTP receiver takes spans on.
    pub fn default_path(self) -> &'static str {
        match self {
            SendProtocol::HttpProtobuf | SendProtocol::HttpJson => "/v1/traces",
            SendProtocol::JaegerHttp => "/api/traces",
            SendProtocol::Zipkin => crate::protocol::zipkin::SPANS_PATH,
            SendProtocol::Grpc | SendProtocol::JaegerUdpCompact | SendProtocol::JaegerUdpBinary => {
                ""
            }
        }
    }
}
