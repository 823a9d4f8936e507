//! The end-to-end check reuses send-test-span's diagnosis of a failed send, whose fixes name
//! send-test-span's flags (`--endpoint`, `--protocol`, ...). In doctor the same change is made to
//! the app's settings, so each flag is translated into the variable it stands for.

use crate::settings::Settings;
use crate::settings::otlp::{CERTIFICATE, COMPRESSION, ENDPOINT, HEADERS, INSECURE, PROTOCOL};

/// `fix` (worded for send-test-span) in terms of the settings doctor checked, capitalised.
pub fn in_settings_terms(fix: &str, settings: &Settings) -> String {
    let otlp = &settings.otlp;
    let endpoint = otlp.endpoint.var.unwrap_or(ENDPOINT);
    let protocol = otlp.protocol.var.unwrap_or(PROTOCOL);
    let headers = otlp.headers.as_ref().and_then(|h| h.var).unwrap_or(HEADERS);
    let certificate = otlp
        .certificate
        .as_ref()
        .and_then(|c| c.var)
        .unwrap_or(CERTIFICATE);
    let terms: [(&str, String); 7] = [
        (
            "point --endpoint at it",
            format!("set {endpoint} to its URL"),
        ),
        ("--endpoint", endpoint.to_string()),
        ("--protocol ", format!("{protocol}=")),
        ("--insecure", format!("{INSECURE}=true")),
        ("--ca-file", certificate.to_string()),
        ("--header ", format!("{headers}=")),
        ("--compression ", format!("{COMPRESSION}=")),
    ];
    let mut text = fix.to_string();
    for (flag, setting) in &terms {
        text = text.replace(flag, setting);
    }
    // "pass the CA with --ca-file (or OTEL_…_CERTIFICATE)" names the variable twice once translated.
    for name in [certificate, headers] {
        for twice in [format!(" (or {name})"), format!(" or set {name}")] {
            if text.matches(name).count() > 1 {
                text = text.replace(&twice, "");
            }
        }
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::in_settings_terms;
    use crate::checks::testing::context;
    use crate::settings::Sdk;

    #[test]
    fn flags_become_the_variables_the_app_reads() {
        let ctx = context(
            Sdk::Spec,
            &[(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "http://c:4318/v1/traces",
            )],
        );
        let s = &ctx.settings;
        assert_eq!(
            in_settings_terms(
                "start the receiver, or point --endpoint at it (http/protobuf usually listens on 4318)",
                s
            ),
            "Start the receiver, or set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to its URL \
             (http/protobuf usually listens on 4318)"
        );
        assert_eq!(
            in_settings_terms("try --protocol http/protobuf, or port 4317", s),
            "Try OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, or port 4317"
        );
        assert_eq!(
            in_settings_terms(
                "pass the CA with --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)",
                s
            ),
            "Pass the CA with OTEL_EXPORTER_OTLP_CERTIFICATE"
        );
        assert_eq!(
            in_settings_terms(
                "add --header authorization=... or set OTEL_EXPORTER_OTLP_HEADERS",
                s
            ),
            "Add OTEL_EXPORTER_OTLP_HEADERS=authorization=..."
        );
        assert_eq!(
            in_settings_terms("use http:// instead of https:// (or --insecure)", s),
            "Use http:// instead of https:// (or OTEL_EXPORTER_OTLP_INSECURE=true)"
        );
    }
}
