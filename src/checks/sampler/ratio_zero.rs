use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "SMP002",
    name: "sampler-ratio-zero",
    family: Family::Sampler,
    severity: Severity::Error,
    title: "The ratio sampler keeps more than 0% of traces",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_SAMPLER` is `traceidratio` or `parentbased_traceidratio` with \
                 `OTEL_TRACES_SAMPLER_ARG` equal to 0.",
        why: "A ratio of 0 samples no trace this service starts: it behaves like `always_off` while \
              looking like a tuned setting. It often comes from a template whose value was meant to be \
              replaced.",
        fix: "Set the fraction to keep, between 0 and 1, e.g. `OTEL_TRACES_SAMPLER_ARG=0.1` for 10%.",
        example: "OTEL_TRACES_SAMPLER=parentbased_traceidratio\nOTEL_TRACES_SAMPLER_ARG=0",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let sampler = &ctx.settings.pipeline.sampler;
    let evidence = Evidence::new().setting("OTEL_TRACES_SAMPLER", &sampler.name);
    match (sampler.ratio(), &sampler.arg) {
        (Some(Ok(0.0)), Some(arg)) => Outcome::Findings(vec![
            Draft::new(
                "OTEL_TRACES_SAMPLER_ARG",
                format!(
                    "OTEL_TRACES_SAMPLER_ARG is `{}` for the `{}` sampler: no trace started here is \
                     sampled.",
                    arg.value, sampler.name.value
                ),
                "export OTEL_TRACES_SAMPLER_ARG=0.1 (10% of traces; 1.0 keeps all)",
            )
            .setting("OTEL_TRACES_SAMPLER", &sampler.name)
            .setting("OTEL_TRACES_SAMPLER_ARG", arg),
        ]),
        _ => Outcome::Pass(evidence),
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_a_positive_ratio_or_another_sampler() {
        let ratio = |arg| {
            [
                ("OTEL_TRACES_SAMPLER", "traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", arg),
            ]
        };
        assert!(passes(&CHECK, Sdk::Spec, &ratio("0.01")));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_SAMPLER_ARG", "0")]
        ));
    }

    #[test]
    fn flags_zero() {
        for arg in ["0", "0.0", " 0 ", "-0"] {
            let f = findings(
                &CHECK,
                Sdk::Spec,
                &[
                    ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                    ("OTEL_TRACES_SAMPLER_ARG", arg),
                ],
            );
            assert_eq!(f[0].subject, "OTEL_TRACES_SAMPLER_ARG", "{arg}");
        }
    }
}
