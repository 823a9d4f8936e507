use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::{OtlpProtocol, Sdk};

pub static CHECK: Check = Check {
    id: "END007",
    name: "otlp-protocol-invalid",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "OTEL_EXPORTER_OTLP_PROTOCOL names a protocol SDKs know",
    explanation: Explanation {
        checks: "Whether `OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL` is one of `grpc`, `http/protobuf`, \
                 `http/json` (case-insensitive), and with `--sdk` whether that SDK takes it as written \
                 (Python: no `http/json`; Python and Node: exact lowercase; docs/sdk-facts.md).",
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
        return refused_by_sdk(ctx);
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

/// A protocol the spec knows but the chosen SDK refuses as written (docs/sdk-facts.md): Python's
/// auto-configuration has no http/json exporter and matches case-sensitively; Node's sdk-node
/// matches case-sensitively and falls back to http/protobuf.
fn refused_by_sdk(ctx: &Context) -> Outcome {
    let s = &ctx.settings;
    let protocol = &s.otlp.protocol;
    let Some(raw) = protocol.var.and_then(|v| s.inputs.first_set(&[v])) else {
        return Outcome::Pass(Evidence::new().setting("protocol", protocol));
    };
    let sdk = s.sdk;
    if sdk.accepts_protocol(&raw.value) {
        return Outcome::Pass(Evidence::new().setting("protocol", protocol));
    }
    let var = raw.var.unwrap_or(crate::settings::otlp::PROTOCOL);
    let value = raw.value.trim();
    let facts = sdk.facts();
    let (what, fix) = match sdk {
        Sdk::Python => (
            format!(
                "the Python SDK's auto-configuration refuses it and starts no exporter: it raises \
                 `RuntimeError: Unsupported OTLP protocol '{value}' is configured` (opentelemetry-sdk \
                 _configuration, checked against 1.45.2)"
            ),
            facts
                .protocols
                .iter()
                .find(|p| p.eq_ignore_ascii_case(value))
                .copied()
                .unwrap_or("http/protobuf"),
        ),
        _ => (
            format!(
                "{sdk}'s SDK does not take it as written and uses {} instead (it logs \
                 `Unsupported OTLP traces protocol: {value}. Using http/protobuf.`)",
                facts.default_protocol
            ),
            facts
                .protocols
                .iter()
                .find(|p| p.eq_ignore_ascii_case(value))
                .copied()
                .unwrap_or(facts.default_protocol),
        ),
    };
    Outcome::Findings(vec![
        Draft::new(
            var,
            format!("{var} is `{value}`, but {what}."),
            format!("export {var}={fix}"),
        )
        .setting(var, &raw)
        .fact("sdk", sdk.as_str()),
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

    #[test]
    fn flags_what_the_chosen_sdk_refuses() {
        let f = findings(
            &CHECK,
            Sdk::Python,
            &[("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")],
        );
        assert!(
            f[0].message
                .contains("RuntimeError: Unsupported OTLP protocol 'http/json' is configured"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fix, "export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        let f = findings(
            &CHECK,
            Sdk::Node,
            &[("OTEL_EXPORTER_OTLP_PROTOCOL", "GRPC")],
        );
        assert_eq!(f[0].fix, "export OTEL_EXPORTER_OTLP_PROTOCOL=grpc");
        assert!(passes(
            &CHECK,
            Sdk::Node,
            &[("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Python,
            &[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")]
        ));
    }
}
