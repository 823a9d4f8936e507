use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::pipeline::SDK_DISABLED;

pub static CHECK: Check = Check {
    id: "EXP001",
    name: "sdk-disabled",
    family: Family::Exporter,
    severity: Severity::Error,
    title: "The SDK is not disabled by OTEL_SDK_DISABLED",
    explanation: Explanation {
        checks: "Whether `OTEL_SDK_DISABLED` is `true` (case-insensitive). Any other value, or an empty one, \
                 leaves the SDK enabled.",
        why: "With the SDK disabled every tracer is a no-op: no span is recorded or exported, and nothing \
              logs an error. Propagators are still configured, so context still flows through the service \
              and the gap in the trace is hard to spot.",
        fix: "Unset `OTEL_SDK_DISABLED`, or set it to `false`.",
        example: "OTEL_SDK_DISABLED=true",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let raw = ctx.settings.inputs.first_set(&[SDK_DISABLED]);
    let shown = raw.as_ref().map_or("(unset)", |r| r.value.as_str());
    if !ctx.settings.pipeline.sdk_disabled.value {
        return Outcome::Pass(Evidence::new().with(SDK_DISABLED, shown));
    }
    Outcome::Findings(vec![
        Draft::new(
            SDK_DISABLED,
            format!("OTEL_SDK_DISABLED is `{shown}`: the SDK is a no-op and exports no span."),
            "Unset OTEL_SDK_DISABLED or set OTEL_SDK_DISABLED=false.",
        )
        .evidence(SDK_DISABLED, shown),
    ])
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::run_with;
    use crate::report::Outcome;

    #[test]
    fn passes_when_unset_or_false() {
        assert!(matches!(run_with(&super::CHECK, &[]), Outcome::Pass(_)));
        assert!(matches!(
            run_with(&super::CHECK, &[("OTEL_SDK_DISABLED", "false")]),
            Outcome::Pass(_)
        ));
    }

    #[test]
    fn fails_when_true_in_any_case() {
        let Outcome::Findings(f) = run_with(&super::CHECK, &[("OTEL_SDK_DISABLED", "TRUE")]) else {
            panic!("expected a finding")
        };
        assert_eq!(f[0].subject, "OTEL_SDK_DISABLED");
    }
}
