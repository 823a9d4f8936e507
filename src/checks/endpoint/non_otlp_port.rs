use super::{endpoint_var, with_port};
use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "END002",
    name: "otlp-endpoint-non-otlp-port",
    family: Family::Endpoint,
    severity: Severity::Error,
    title: "The OTLP endpoint is not a Jaeger or Zipkin port",
    explanation: Explanation {
        checks: "Whether the OTLP endpoint's port is one that Jaeger or Zipkin use for something else: \
                 6831/6832 (Jaeger agent, UDP thrift), 5778 (sampling), 14250 (Jaeger gRPC), 14268 \
                 (Jaeger HTTP thrift), 14269 (admin), 9411 (Zipkin), 16685/16686 (Jaeger query and UI).",
        why: "Migrations from Jaeger clients keep the old port. OTLP sent there fails with `unknown service \
              opentelemetry.proto.collector.trace.v1.TraceService` (14250), a 404 or 400 (14268, 16686, \
              9411), or a connection error (6831 is UDP). Jaeger and the collector take OTLP on 4317 \
              (gRPC) and 4318 (HTTP).",
        fix: "Point the OTLP endpoint at port 4317 for gRPC or 4318 for HTTP on the same host.",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=http://jaeger:14268",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn port_role(port: u16) -> Option<&'static str> {
    Some(match port {
        6831 => "the Jaeger agent's UDP port for compact thrift",
        6832 => "the Jaeger agent's UDP port for binary thrift",
        5778 => "the Jaeger sampling-strategy port",
        14250 => "Jaeger's gRPC port for its own model (not OTLP)",
        14268 => "Jaeger's HTTP port for thrift batches (/api/traces)",
        14269 => "the Jaeger admin port",
        9411 => "the Zipkin port",
        16685 => "the Jaeger query gRPC port",
        16686 => "the Jaeger UI and query API port",
        _ => return None,
    })
}

fn run(ctx: &Context) -> Outcome {
    let otlp = &ctx.settings.otlp;
    let evidence = Evidence::new().setting("endpoint", &otlp.endpoint);
    let Some((_, port)) = otlp.host_port() else {
        return Outcome::Pass(evidence);
    };
    let Some(role) = port_role(port) else {
        return Outcome::Pass(evidence.fact("port", port));
    };
    let var = endpoint_var(otlp);
    let protocol = otlp.protocol.value;
    let fixed = with_port(otlp.endpoint.value.trim(), port, protocol.default_port());
    Outcome::Findings(vec![
        Draft::new(
            var,
            format!(
                "{var} points at port {port}, {role}: it does not accept OTLP, so every export fails. \
                 OTLP {protocol} goes to port {}.",
                protocol.default_port()
            ),
            format!("export {var}={fixed}"),
        )
        .setting("endpoint", &otlp.endpoint)
        .setting("protocol", &otlp.protocol)
        .fact("port", port),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_on_otlp_ports() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otlp.example.com")]
        ));
    }

    #[test]
    fn flags_jaeger_ports_with_the_otlp_port_for_the_protocol() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:14268")],
        );
        assert_eq!(
            f[0].fix,
            "export OTEL_EXPORTER_OTLP_ENDPOINT=http://jaeger:4318"
        );
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:14250"),
            ],
        );
        assert_eq!(
            f[0].fix,
            "export OTEL_EXPORTER_OTLP_ENDPOINT=http://jaeger:4317"
        );
    }
}
