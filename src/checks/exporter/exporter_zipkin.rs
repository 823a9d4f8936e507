use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "EXP005",
    name: "traces-exporter-zipkin",
    family: Family::Exporter,
    severity: Severity::Warning,
    title: "OTEL_TRACES_EXPORTER does not rely on the deprecated zipkin exporter",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_EXPORTER` lists `zipkin`.",
        why: "The Zipkin exporter and `OTEL_EXPORTER_ZIPKIN_*` are deprecated in the spec; SDKs are \
              dropping them and some distributions no longer bundle the package, in which case the \
              exporter is missing at start-up and nothing is exported. Zipkin's model also drops span \
              links and flattens typed attributes to strings.",
        fix: "Send OTLP to a collector (which can still forward to Zipkin): `OTEL_TRACES_EXPORTER=otlp`.",
        example: "OTEL_TRACES_EXPORTER=zipkin",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let exporters = &ctx.settings.pipeline.exporters;
    let joined = exporters.map(|l| l.join(","));
    if !exporters.value.iter().any(|e| e == "zipkin") {
        return Outcome::Pass(Evidence::new().setting("OTEL_TRACES_EXPORTER", &joined));
    }
    Outcome::Findings(vec![
        Draft::new(
            "OTEL_TRACES_EXPORTER",
            format!(
                "OTEL_TRACES_EXPORTER `{}` uses the deprecated zipkin exporter.",
                joined.value
            ),
            "export OTEL_TRACES_EXPORTER=otlp and point OTEL_EXPORTER_OTLP_ENDPOINT at a collector \
             (its zipkin exporter can still feed Zipkin)",
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
    fn passes_without_zipkin() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
    }

    #[test]
    fn flags_zipkin() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_EXPORTER", "otlp,zipkin")],
        );
        assert_eq!(f[0].subject, "OTEL_TRACES_EXPORTER");
    }
}
