//! The vocabulary of fixes: the flag, or the variable of the app's settings, that makes each
//! change.

use crate::send::SendProtocol;
use crate::settings::{OtlpTraces, Settings, otlp};

/// Whose words a fix is written in: send-test-span's flags, or, for doctor's end-to-end check, the
/// variables of the app's settings (the same change, made where the app reads it).
#[derive(Debug, Clone, Copy)]
pub enum Terms<'a> {
    Flags,
    Settings(&'a Settings),
}

impl Terms<'_> {
    fn otlp(&self) -> Option<&OtlpTraces> {
        match self {
            Terms::Flags => None,
            Terms::Settings(s) => Some(&s.otlp),
        }
    }

    fn endpoint_var(o: &OtlpTraces) -> &'static str {
        o.endpoint.var.unwrap_or(otlp::ENDPOINT)
    }

    /// How to aim the sender at the receiver.
    pub(super) fn point_endpoint(&self) -> String {
        match self.otlp() {
            None => "point --endpoint at it".into(),
            Some(o) => format!("set {} to its URL", Self::endpoint_var(o)),
        }
    }

    /// How to send to `url` instead.
    pub(super) fn use_endpoint(&self, url: &str) -> String {
        match self.otlp() {
            None => format!("use --endpoint {url}"),
            Some(o) => format!("set {}={url}", Self::endpoint_var(o)),
        }
    }

    /// How to switch to OTLP transport `protocol`.
    pub(super) fn protocol(&self, protocol: &str) -> String {
        match self.otlp() {
            None => format!("--protocol {protocol}"),
            Some(o) => format!("{}={protocol}", o.protocol.var.unwrap_or(otlp::PROTOCOL)),
        }
    }

    pub(super) fn insecure(&self) -> String {
        match self.otlp() {
            None => "--insecure".into(),
            Some(o) => format!(
                "{}=true",
                o.insecure
                    .as_ref()
                    .and_then(|i| i.var)
                    .unwrap_or(otlp::INSECURE)
            ),
        }
    }

    /// Where a private CA is given.
    pub(super) fn ca(&self) -> String {
        match self.otlp() {
            None => format!("--ca-file (or {})", otlp::CERTIFICATE),
            Some(o) => o
                .certificate
                .as_ref()
                .and_then(|c| c.var)
                .unwrap_or(otlp::CERTIFICATE)
                .into(),
        }
    }

    pub(super) fn add_credentials(&self) -> String {
        match self.otlp() {
            None => format!("add --header authorization=... (or {})", otlp::HEADERS),
            Some(o) => format!(
                "add {}=authorization=...",
                o.headers
                    .as_ref()
                    .and_then(|h| h.var)
                    .unwrap_or(otlp::HEADERS)
            ),
        }
    }

    pub(super) fn smaller_requests(&self) -> String {
        match self.otlp() {
            None => "send fewer spans (--spans) or enable --compression gzip".into(),
            Some(o) => format!(
                "set {}=gzip",
                o.compression
                    .as_ref()
                    .and_then(|c| c.var)
                    .unwrap_or(otlp::COMPRESSION)
            ),
        }
    }

    /// The other OTLP transport, to suggest when `protocol` does not fit the port.
    pub(super) fn other_otlp(&self, protocol: SendProtocol) -> String {
        if protocol == SendProtocol::Grpc {
            format!("{}, or port 4317", self.protocol("http/protobuf"))
        } else {
            format!("{}, or port 4318", self.protocol("grpc"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctor_terms_name_the_variables_the_app_reads() {
        let ctx = crate::checks::testing::context(
            crate::settings::Sdk::Spec,
            &[(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "http://c:4318/v1/traces",
            )],
        );
        let terms = Terms::Settings(&ctx.settings);
        assert_eq!(
            terms.point_endpoint(),
            "set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to its URL"
        );
        assert_eq!(
            terms.other_otlp(SendProtocol::Grpc),
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, or port 4317"
        );
        assert_eq!(terms.ca(), "OTEL_EXPORTER_OTLP_CERTIFICATE");
        assert_eq!(
            terms.add_credentials(),
            "add OTEL_EXPORTER_OTLP_HEADERS=authorization=..."
        );
        assert_eq!(terms.insecure(), "OTEL_EXPORTER_OTLP_INSECURE=true");
    }

    #[test]
    fn send_test_span_terms_name_its_flags() {
        assert_eq!(Terms::Flags.point_endpoint(), "point --endpoint at it");
        assert_eq!(
            Terms::Flags.other_otlp(SendProtocol::Grpc),
            "--protocol http/protobuf, or port 4317"
        );
        assert_eq!(
            Terms::Flags.ca(),
            "--ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)"
        );
    }
}
