use crate::checks::deploy::app;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR004",
    name: "instrumentation-endpoint-port-vs-protocol",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "An Instrumentation's endpoint port suits the protocol each injected language uses",
    explanation: Explanation {
        checks: "For each container the operator instruments whose OTLP endpoint comes from the \
                 Instrumentation (`spec.exporter.endpoint`, `spec.env`, `spec.<lang>.env`), whether \
                 the port is 4317 (the OTLP/gRPC convention) while the container will speak \
                 OTLP/HTTP, or 4318 (OTLP/HTTP) while it will speak gRPC. The protocol is the one \
                 the container ends up with: its own variable, the operator's default for the \
                 language (Python injection sets http/protobuf) or the SDK's default.",
        why: "One Instrumentation is often shared by apps of several languages, and they do not \
              share a protocol: the same `exporter.endpoint` on 4317 that a gRPC exporter uses \
              is refused by the Python and .NET agents, which send OTLP/HTTP. Each failed export \
              is only logged by the app.",
        fix: "Use port 4318 (and the HTTP endpoint form) for OTLP/HTTP languages, e.g. with \
              `spec.python.env` / `spec.dotnet.env` setting OTEL_EXPORTER_OTLP_ENDPOINT, or set \
              OTEL_EXPORTER_OTLP_PROTOCOL to what the port serves.",
        example: "spec:\n  exporter:\n    endpoint: http://otel-collector:4317   # Python injection sends http/protobuf",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (_, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let Some(injected) = &w.injected else {
        return Outcome::skip("not instrumented by the OpenTelemetry Operator");
    };
    let o = &ctx.settings.otlp;
    let endpoint_var = o.endpoint.var.and_then(|v| w.var(v));
    let Some(endpoint) = endpoint_var.filter(|v| v.origin.starts_with("Instrumentation ")) else {
        return Outcome::Pass(Evidence::new().with("endpoint", "not set by an Instrumentation"));
    };
    let Some((_, port)) = o.host_port() else {
        return Outcome::Pass(Evidence::new().with("endpoint", "not a usable URL"));
    };
    let protocol = o.protocol.value;
    let evidence = Evidence::new()
        .with("endpoint", endpoint.value.text().to_string())
        .with("protocol", protocol.to_string())
        .with("language", injected.lang.clone());
    let expected = match (port, protocol.is_http()) {
        (4317, true) => "OTLP/gRPC",
        (4318, false) => "OTLP/HTTP",
        _ => return Outcome::Pass(evidence),
    };
    let why = match o.protocol.var.and_then(|v| w.var(v)) {
        Some(v) => format!("{} sets {} ({}, {})", v.name, protocol, v.origin, v.source),
        None => format!("{protocol} is the {} SDK's default", ctx.settings.sdk),
    };
    let message = format!(
        "{} is {} ({}, {}): port {port} is the {expected} port, but this {} container sends {protocol}: {why}.",
        endpoint.name,
        endpoint.value.text(),
        endpoint.origin,
        endpoint.source,
        injected.lang
    );
    let fix = if protocol.is_http() {
        format!(
            "Give {} containers an OTLP/HTTP endpoint on port 4318 (e.g. OTEL_EXPORTER_OTLP_ENDPOINT in spec.{}.env), or change the endpoint at {}.",
            injected.lang, injected.lang, endpoint.source
        )
    } else {
        format!(
            "Use port 4317 for gRPC exporters, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf for {} containers.",
            injected.lang
        )
    };
    Outcome::Findings(vec![
        Draft::new(endpoint.name.clone(), message, fix)
            .evidence("protocol", protocol.to_string())
            .at(endpoint.source.clone()),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{ctx, shared};
    use crate::checks::operator::testing::{WORKING, inject, manifest};
    use crate::checks::testing::run_in;
    use crate::report::Outcome;
    use crate::settings::Sdk;

    fn outcome(spec: &str, lang: &str, sdk: Sdk) -> Outcome {
        let s = shared(&manifest(spec, &inject(lang, "true"), ""));
        run_in(&CHECK, &ctx(&s, Some("checkout/app"), Some(sdk)))
    }

    #[test]
    fn passes_on_the_matching_port() {
        assert!(matches!(
            outcome(WORKING, "python", Sdk::Python),
            Outcome::Pass(_)
        ));
        let grpc = WORKING.replace("4318", "4317");
        assert!(matches!(outcome(&grpc, "sdk", Sdk::Java), Outcome::Pass(_)));
    }

    #[test]
    fn a_shared_4317_endpoint_is_an_error_naming_pythons_injected_protocol() {
        let grpc = WORKING.replace("4318", "4317");
        let Outcome::Findings(f) = outcome(&grpc, "python", Sdk::Python) else {
            panic!("no finding");
        };
        assert!(
            f[0].message.contains("sends http/protobuf"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("operator default (python)"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_ref().unwrap().line, 31);
    }

    #[test]
    fn port_4318_with_a_grpc_sdk_is_an_error() {
        let Outcome::Findings(f) = outcome(WORKING, "sdk", Sdk::Java) else {
            panic!("no finding");
        };
        assert!(f[0].message.contains("sends grpc"), "{}", f[0].message);
    }
}
