use crate::checks::facts::{WithSetting, jaeger_host};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "EXP004",
    name: "traces-exporter-jaeger",
    family: Family::Exporter,
    severity: Severity::Error,
    title: "OTEL_TRACES_EXPORTER does not name the removed jaeger exporter",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_EXPORTER` lists `jaeger`.",
        why: "The Jaeger exporter was removed from the OpenTelemetry spec in v1.23.0 (2023) and from the \
              SDKs after it. Current SDKs either refuse to start the exporter or log an unknown-exporter \
              warning, and no span is exported. Jaeger itself has accepted OTLP on 4317/4318 since v1.35 \
              (on by default since v1.46).",
        fix: "Export OTLP to Jaeger directly: `OTEL_TRACES_EXPORTER=otlp` and \
              `OTEL_EXPORTER_OTLP_ENDPOINT=http://<jaeger-host>:4318`.",
        example: "OTEL_TRACES_EXPORTER=jaeger\nOTEL_EXPORTER_JAEGER_AGENT_HOST=jaeger",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let exporters = &ctx.settings.pipeline.exporters;
    let joined = exporters.map(|l| l.join(","));
    if !exporters.value.iter().any(|e| e == "jaeger") {
        return Outcome::Pass(Evidence::new().setting("OTEL_TRACES_EXPORTER", &joined));
    }
    let host = jaeger_host(&ctx.settings);
    Outcome::Findings(vec![
        Draft::new(
            "OTEL_TRACES_EXPORTER",
            format!(
                "OTEL_TRACES_EXPORTER `{}` names `jaeger`, an exporter removed from the spec and the \
                 SDKs: current SDKs export nothing through it. Jaeger accepts OTLP directly.",
                joined.value
            ),
            format!(
                "export OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://{host}:4318 \
                 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
            ),
        )
        .setting("OTEL_TRACES_EXPORTER", &joined),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_without_jaeger() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_EXPORTER", "otlp")]
        ));
    }

    #[test]
    fn flags_jaeger_and_points_otlp_at_the_same_host() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_TRACES_EXPORTER", "Jaeger"),
                (
                    "OTEL_EXPORTER_JAEGER_ENDPOINT",
                    "http://tracing:14268/api/traces",
                ),
            ],
        );
        assert!(
            f[0].fix
                .contains("OTEL_EXPORTER_OTLP_ENDPOINT=http://tracing:4318"),
            "{}",
            f[0].fix
        );
    }
}
