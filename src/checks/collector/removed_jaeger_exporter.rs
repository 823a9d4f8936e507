use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::components::removed_exporter;
use crate::collector::model::Section;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL002",
    name: "removed-jaeger-exporter",
    family: Family::Collector,
    severity: Severity::Error,
    title: "No exporter uses the removed jaeger or jaegerthrifthttp types",
    explanation: Explanation {
        checks: "Exporters of type `jaeger` or `jaegerthrifthttp` (with or without a `/name`).",
        why: "collector-contrib removed both exporters in v0.85.0: a config that names them fails \
              at start-up with `unknown type: \"jaeger\"`, so nothing is exported. Jaeger (v1.35+ \
              and v2) accepts OTLP directly on 4317 (gRPC) and 4318 (HTTP).",
        fix: "Replace the exporter with `otlp` pointed at Jaeger's OTLP gRPC port (4317), or \
              `otlphttp` at its HTTP port (4318), and rename it in every pipeline.",
        example: "exporters:\n  jaeger:\n    endpoint: jaeger:14250\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let drafts = config
        .components_in(Section::Exporters)
        .filter(|c| removed_exporter(c.kind()))
        .map(|c| {
            let host = c
                .config
                .get("endpoint")
                .and_then(|e| e.as_str())
                .map(|e| crate::collector::model::split_host_port(e).0)
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "jaeger".to_string());
            let replacement = if c.kind() == "jaeger" {
                format!("otlp/jaeger: {{ endpoint: {host}:4317, tls: {{ insecure: true }} }}")
            } else {
                format!("otlphttp/jaeger: {{ endpoint: http://{host}:4318 }}")
            };
            Draft::new(
                config.subject(c.line, &c.path()),
                format!(
                    "Exporter type `{}` was removed in collector-contrib v0.85.0: this config fails \
                     at start-up with `unknown type: \"{}\"`. Jaeger accepts OTLP on 4317/4318.",
                    c.kind(),
                    c.kind()
                ),
                format!(
                    "Replace it with `{replacement}` under exporters, and use that name in the \
                     pipelines instead of `{}`.",
                    c.id
                ),
            )
            .evidence("exporter", c.id.clone())
            .evidence("removed_in", "v0.85.0")
        })
        .collect();
    Outcome::from_drafts(
        drafts,
        Evidence::new().with(
            "exporters",
            config.components_in(Section::Exporters).count(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_with_otlp_exporters() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn flags_jaeger_and_jaegerthrifthttp_with_the_otlp_replacement() {
        let yaml = "exporters:\n  jaeger:\n    endpoint: tracing:14250\n  jaegerthrifthttp/x:\n    endpoint: http://tracing:14268/api/traces\n";
        let f = findings(&CHECK, yaml);
        assert_eq!(f[0].subject, "config.yaml:2 exporters.jaeger");
        assert!(
            f[0].fix.contains("otlp/jaeger: { endpoint: tracing:4317"),
            "{}",
            f[0].fix
        );
        assert_eq!(f[1].subject, "config.yaml:4 exporters.jaegerthrifthttp/x");
        assert!(f[1].fix.contains("http://tracing:4318"), "{}", f[1].fix);
    }
}
