//! Endpoint configuration: protocol, port, path, scheme and timeout of the OTLP trace exporter.

pub mod client_identity;
pub mod doubled_path;
pub mod insecure_scheme;
pub mod invalid_url;
pub mod non_otlp_port;
pub mod protocol_invalid;
pub mod protocol_port;
pub mod signal_path;
pub mod timeout_units;
pub mod tls_files;

use crate::settings::OtlpTraces;

/// `endpoint` with `:from` replaced by `:to`, for fixes that keep everything else as written.
pub fn with_port(endpoint: &str, from: u16, to: u16) -> String {
    let needle = format!(":{from}");
    match endpoint.find(&needle) {
        Some(i) => format!("{}:{to}{}", &endpoint[..i], &endpoint[i + needle.len()..]),
        None => endpoint.to_string(),
    }
}

/// The variable that sets the endpoint, for fixes (the generic one for defaults).
pub fn endpoint_var(otlp: &OtlpTraces) -> &'static str {
    otlp.endpoint.var.unwrap_or(crate::settings::otlp::ENDPOINT)
}

/// Which SDKs default to which OTLP protocol, for findings made when the SDK is not known.
pub const PROTOCOL_DEFAULTS: &str = "the Java SDK, .NET and the Python distro default to grpc \
     (port 4317); the Java agent 2.x, Node, Go autoexport, Rust and the spec default to \
     http/protobuf (port 4318)";

/// Whether a protocol/port disagreement can be judged as an error: the protocol is set, or the
/// SDK (and so its default) is known.
pub fn protocol_certain(otlp: &OtlpTraces, sdk: crate::settings::Sdk) -> bool {
    otlp.protocol.var.is_some() || sdk != crate::settings::Sdk::Spec
}
