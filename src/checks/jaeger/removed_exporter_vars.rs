use crate::checks::facts::jaeger_host;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "JGR005",
    name: "otel-jaeger-exporter-vars-removed",
    family: Family::Jaeger,
    severity: Severity::Warning,
    title: "No removed OTEL_EXPORTER_JAEGER_* variable is set",
    explanation: Explanation {
        checks: "Whether any `OTEL_EXPORTER_JAEGER_*` variable is set (`_ENDPOINT`, `_PROTOCOL`, \
                 `_AGENT_HOST`, `_AGENT_PORT`, `_TIMEOUT`, `_USER`, `_PASSWORD`).",
        why: "These configured the OpenTelemetry Jaeger exporter, removed from the spec in v1.23.0 (2023) \
              and from the SDKs since. Current SDKs ignore them, so the endpoint they name is not where \
              spans go: the OTLP exporter sends to its own default, `localhost`.",
        fix: "Send OTLP to the same host: Jaeger accepts it on 4317 (gRPC) and 4318 (HTTP).",
        example: "OTEL_EXPORTER_JAEGER_ENDPOINT=http://jaeger:14268/api/traces",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let s = &ctx.settings;
    let vars = &s.jaeger.removed_otel_vars;
    if vars.is_empty() {
        return Outcome::Pass(Evidence::new().with("OTEL_EXPORTER_JAEGER_* variables", 0));
    }
    let host = jaeger_host(s);
    let mut draft = Draft::new(
        vars.join(","),
        format!(
            "{} {} set, but the Jaeger exporter was removed from OpenTelemetry SDKs: {} ignored.",
            vars.join(", "),
            if vars.len() == 1 { "is" } else { "are" },
            if vars.len() == 1 { "it is" } else { "they are" },
        ),
        format!(
            "export OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://{host}:4318 \
             OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf; then unset {}",
            vars.join(" ")
        ),
    );
    for name in vars {
        if let Some(raw) = s.inputs.get(name) {
            draft = draft
                .evidence(name.to_string(), raw.display_value())
                .evidence(format!("{name}.source"), raw.source.to_string());
        }
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_without_them() {
        assert!(passes(&CHECK, Sdk::Spec, &[("JAEGER_AGENT_HOST", "a")]));
    }

    #[test]
    fn flags_them_and_moves_the_host_to_otlp() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_EXPORTER_JAEGER_AGENT_HOST", "tracing"),
                ("OTEL_EXPORTER_JAEGER_PASSWORD", "hunter2-long-password"),
            ],
        );
        assert!(f[0].fix.contains("http://tracing:4318"), "{}", f[0].fix);
        assert!(!format!("{f:?}").contains("hunter2-long-password"));
    }
}
