use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Needs, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Severity};
use crate::settings::OtlpProtocol;

pub static CHECK: Check = Check {
    id: "END007",
    name: "otlp-protocol-invalid",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "OTEL_EXPORTER_OTLP_PROTOCOL names a protocol SDKs know",
    explanation: Explanation {
        checks: "Whether `OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL` is one of `grpc`, `http/protobuf`, \
                 `http/json` (case-insensitive).",
        why: "Values such as `http`, `grpc/protobuf` or `http/proto` are not protocols. Some SDKs refuse \
              to start the exporter (Java: `Unsupported OTLP traces protocol`), others log a warning and \
              use their default, which may not be what the endpoint's port serves.",
        fix: "Use `grpc` (port 4317) or `http/protobuf` (port 4318).",
        example: "OTEL_EXPORTER_OTLP_PROTOCOL=http",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let Some(bad) = &otlp.invalid_protocol else {
        return Outcome::Pass(Evidence::new().setting("protocol", &otlp.protocol));
    };
    let var = bad.var.unwrap_or(crate::settings::otlp::PROTOCOL);
    let lower = bad.value.trim().to_ascii_lowercase();
    let meant = if lower.contains("grpc") {
        OtlpProtocol::Grpc
    } else if lower.contains("json") {
        OtlpProtocol::HttpJson
    } else if lower.starts_with("http") {
        OtlpProtocol::HttpProtobuf
    } else {
        otlp.protocol.value
    };
    Outcome::Findings(vec![
        Draft::new(
            var,
            format!(
                "{var} is `{}`, which is not an OTLP protocol: SDKs either refuse to start the exporter \
                 or use their default ({}).",
                bad.value, otlp.protocol.value
            ),
            format!("export {var}={meant}"),
        )
        .setting(var, bad),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_for_known_protocols() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_PROTOCOL", "HTTP/Protobuf")]
        ));
    }

    #[test]
    fn flags_and_guesses_the_meant_protocol() {
        for (value, meant) in [
            ("http", "http/protobuf"),
            ("grpc/protobuf", "grpc"),
            ("json", "http/json"),
        ] {
            let f = findings(
                &CHECK,
                Sdk::Spec,
                &[("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", value)],
            );
            assert_eq!(
                f[0].fix,
                format!("export OTEL_EXPORTER_OTLP_TRACES_PROTOCOL={meant}")
            );
        }
    }
}
