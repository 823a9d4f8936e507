use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "EXP002",
    name: "traces-exporter-none",
    family: Family::Exporter,
    severity: Severity::Error,
    title: "OTEL_TRACES_EXPORTER does not turn trace export off",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_EXPORTER` is `none`, holds `none` among other exporters, or lists \
                 nothing but commas.",
        why: "With `none` spans are still created (and cost CPU) but never leave the process. Images and \
              charts sometimes set it to silence a missing collector during development, and it ships.",
        fix: "Set `OTEL_TRACES_EXPORTER=otlp` (the default), or unset it.",
        example: "OTEL_TRACES_EXPORTER=none",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let exporters = &ctx.settings.pipeline.exporters;
    let list = &exporters.value;
    let evidence = Evidence::new().fact("OTEL_TRACES_EXPORTER", list.join(","));
    let message = if list.is_empty() {
        "OTEL_TRACES_EXPORTER lists no exporter: spans are never exported.".to_string()
    } else if list.iter().any(|e| e == "none") && list.len() > 1 {
        format!(
            "OTEL_TRACES_EXPORTER `{}` mixes `none` with exporters: some SDKs refuse the whole list \
             and export nothing, others export nothing because of `none`.",
            list.join(",")
        )
    } else if list.iter().any(|e| e == "none") {
        "OTEL_TRACES_EXPORTER is `none`: spans are recorded but never exported.".to_string()
    } else {
        return Outcome::Pass(evidence);
    };
    Outcome::Findings(vec![
        Draft::new(
            "OTEL_TRACES_EXPORTER",
            message,
            "export OTEL_TRACES_EXPORTER=otlp",
        )
        .setting("OTEL_TRACES_EXPORTER", &exporters.map(|l| l.join(","))),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_by_default_and_with_otlp() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_EXPORTER", "otlp,console")]
        ));
    }

    #[test]
    fn flags_none_alone_mixed_or_an_empty_list() {
        for value in ["none", "NONE", "otlp,none", ","] {
            let f = findings(&CHECK, Sdk::Spec, &[("OTEL_TRACES_EXPORTER", value)]);
            assert_eq!(f[0].fix, "export OTEL_TRACES_EXPORTER=otlp", "{value}");
        }
    }
}
