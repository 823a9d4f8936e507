use super::{agent, spring};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::spring::{ENDPOINT, ZIPKIN, bound_key, canonical};

pub static CHECK: Check = Check {
    id: "SPR002",
    name: "spring-endpoint-missing",
    family: Family::Spring,
    severity: Severity::Error,
    title: "Spring Boot's tracing has an endpoint to export to",
    explanation: Explanation {
        checks: "Whether a Spring Boot app traced by Micrometer Tracing (no Java agent) sets \
                 `management.otlp.tracing.endpoint` (Spring Boot 3), \
                 `management.opentelemetry.tracing.export.otlp.endpoint` (Spring Boot 4) or \
                 `management.zipkin.tracing.endpoint`.",
        why: "Recent Spring Boot versions have no default endpoint: without one no span exporter \
              is created and spans are recorded but never sent. Spring's exporter does not read \
              OTEL_EXPORTER_OTLP_ENDPOINT (only the Java agent and the OpenTelemetry Spring Boot \
              starter do).",
        fix: "Set the endpoint, e.g. `management.otlp.tracing.endpoint: \
              http://otel-collector:4318/v1/traces` (Spring Boot 4: \
              `management.opentelemetry.tracing.export.otlp.endpoint`).",
        example: "management:\n  tracing:\n    sampling:\n      probability: 1.0",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let spring = match spring(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let evidence = Evidence::new();
    if let Some(where_) = agent(ctx) {
        return Outcome::Pass(evidence.with("java agent", where_.to_string()));
    }
    if let Some(p) = spring.first(ENDPOINT).or_else(|| spring.get(ZIPKIN)) {
        return Outcome::Pass(evidence.with(p.key.clone(), p.shown()));
    }
    if spring.disabled() {
        return Outcome::Pass(evidence.with("tracing", "disabled"));
    }
    // otel.* keys in application files configure the OpenTelemetry Spring Boot starter, which
    // reads OTEL_* and otel.* like an SDK: Spring's own endpoint is not needed.
    if spring
        .properties()
        .iter()
        .any(|p| p.from_file && canonical(&p.key).starts_with("otel."))
    {
        return Outcome::Pass(
            evidence.with("otel.* properties", "OpenTelemetry Spring Boot starter"),
        );
    }
    let micrometer =
        (spring.properties().iter()).any(|p| bound_key(&p.key).starts_with("management."));
    let otel = ctx.settings.otlp.endpoint.var;
    let mut message = format!(
        "No Spring tracing endpoint is set ({} or {}){}: Spring Boot has no default, so no span \
         is exported.",
        ENDPOINT[0],
        ENDPOINT[1],
        if spring.files.is_empty() {
            String::new()
        } else {
            format!(" in {} or the environment", spring.files.join(", "))
        }
    );
    if let Some(var) = otel {
        message.push_str(&format!(
            " {var} is set, but Spring's exporter does not read it (the Java agent and the \
             OpenTelemetry Spring Boot starter do)."
        ));
    }
    let mut draft = Draft::new(
        ENDPOINT[0],
        message,
        format!(
            "Set {}: http://otel-collector:4318/v1/traces (Spring Boot 4: {}), or \
             MANAGEMENT_OTLP_TRACING_ENDPOINT in the environment.",
            ENDPOINT[0], ENDPOINT[1]
        ),
    );
    if !micrometer {
        draft = draft.severity(Severity::Warning);
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::spring::testing::{findings, passes};
    use crate::rule::Severity;

    #[test]
    fn passes_with_an_endpoint_the_agent_the_starter_or_tracing_off() {
        for (yaml, vars) in [
            (
                "management.otlp.tracing.endpoint: http://c:4318/v1/traces\n",
                &[][..],
            ),
            (
                "management.zipkin.tracing.endpoint: http://z:9411/api/v2/spans\n",
                &[][..],
            ),
            ("management.tracing.enabled: false\n", &[][..]),
            ("otel.exporter.otlp.endpoint: http://c:4318\n", &[][..]),
            (
                "management.tracing.sampling.probability: 1.0\n",
                &[("JAVA_TOOL_OPTIONS", "-javaagent:/otel.jar")][..],
            ),
        ] {
            assert!(passes(&CHECK, yaml, vars), "{yaml}");
        }
    }

    #[test]
    fn flags_micrometer_tracing_without_an_endpoint() {
        let f = findings(
            &CHECK,
            "management.tracing.sampling.probability: 1.0\n",
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")],
        );
        assert!(
            f[0].message.contains("does not read it"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].severity, None);
        let f = findings(&CHECK, "spring.application.name: shop\n", &[]);
        assert_eq!(f[0].severity, Some(Severity::Warning));
    }
}
