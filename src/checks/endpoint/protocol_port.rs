use super::{PROTOCOL_DEFAULTS, endpoint_var, protocol_certain, with_port};
use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::OtlpProtocol;
use crate::settings::otlp::PROTOCOL;

pub static CHECK: Check = Check {
    id: "END001",
    name: "otlp-protocol-port-mismatch",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "The OTLP protocol matches the endpoint's port",
    explanation: Explanation {
        checks: "Whether the effective OTLP protocol is gRPC while the endpoint's port is 4318 (OTLP/HTTP), \
                 or HTTP while the port is 4317 (OTLP/gRPC). The protocol comes from \
                 `OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL` or the SDK's default (`--sdk`).",
        why: "A gRPC client talking to the HTTP port fails with `http2: frame too large` or `frame with \
              invalid size`; an HTTP client talking to the gRPC port gets `malformed HTTP response` or \
              `Received HTTP/0.9`. Exports fail on every batch, and the SDK's default protocol differs \
              between languages (Java, .NET and Python distro: grpc; Node, Go autoexport, Java agent 2.x: \
              http/protobuf), so the same endpoint works for one service and not the next.",
        fix: "Point the endpoint at the protocol's port (gRPC 4317, HTTP 4318), or set the protocol that \
              the port serves.",
        example: "OTEL_EXPORTER_OTLP_PROTOCOL=grpc\nOTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let protocol = otlp.protocol.value;
    let evidence = Evidence::new()
        .setting("protocol", &otlp.protocol)
        .setting("endpoint", &otlp.endpoint);
    let Some((_, port)) = otlp.host_port() else {
        return Outcome::Pass(evidence);
    };
    let other = match (protocol, port) {
        (OtlpProtocol::Grpc, 4318) => OtlpProtocol::HttpProtobuf,
        (OtlpProtocol::HttpProtobuf | OtlpProtocol::HttpJson, 4317) => OtlpProtocol::Grpc,
        _ => return Outcome::Pass(evidence.fact("port", port)),
    };
    let var = endpoint_var(otlp);
    let fixed = with_port(otlp.endpoint.value.trim(), port, protocol.default_port());
    let protocol_var = otlp.protocol.var.unwrap_or(PROTOCOL);
    let how = if otlp.protocol.var.is_some() {
        format!("set by {}", otlp.protocol.source)
    } else {
        format!("the {} when no protocol is set", otlp.protocol.source)
    };
    let certain = protocol_certain(otlp, ctx.settings.sdk);
    let message = if certain {
        format!(
            "The exporter speaks {protocol} ({how}) but {var} points at port {port}, the OTLP \
             {other} port: every export fails."
        )
    } else {
        format!(
            "No protocol is set and the SDK is not known, so the spec's default {protocol} was \
             assumed, but {var} points at port {port}, the OTLP {other} port. That works only if \
             the app's SDK defaults to {other}: {PROTOCOL_DEFAULTS}."
        )
    };
    let draft = Draft::new(
        var,
        message,
        format!("export {var}={fixed} (or export {protocol_var}={other})"),
    )
    .setting("protocol", &otlp.protocol)
    .setting("endpoint", &otlp.endpoint)
    .fact("port", port);
    Outcome::Findings(vec![if certain {
        draft
    } else {
        draft.severity(Severity::Warning)
    }])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_when_protocol_and_port_agree() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Java,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Node,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")]
        ));
    }

    #[test]
    fn flags_grpc_at_4318_with_both_fixes() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            ],
        );
        assert_eq!(
            f[0].fix,
            "export OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317 \
             (or export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)"
        );
    }

    #[test]
    fn an_unknown_sdk_without_a_protocol_is_only_a_warning_naming_the_defaults() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317")],
        );
        assert_eq!(f[0].severity, Some(Severity::Warning));
        assert!(
            f[0].message.contains("Python distro default to grpc"),
            "{}",
            f[0].message
        );
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"),
            ],
        );
        assert_eq!(f[0].severity, None);
    }

    #[test]
    fn flags_an_sdk_default_protocol_at_the_wrong_port() {
        let f = findings(
            &CHECK,
            Sdk::Python,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")],
        );
        assert!(f[0].message.contains("python default"), "{}", f[0].message);
        let f = findings(
            &CHECK,
            Sdk::Node,
            &[(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "http://c:4317/v1/traces",
            )],
        );
        assert!(
            f[0].fix
                .starts_with("export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://c:4318/v1/traces")
        );
    }
}
