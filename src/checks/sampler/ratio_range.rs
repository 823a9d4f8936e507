use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "SMP003",
    name: "sampler-ratio-out-of-range",
    family: Family::Sampler,
    severity: Severity::Error,
    title: "The sampler ratio is between 0 and 1",
    explanation: Explanation {
        checks: "Whether the ratio in `OTEL_TRACES_SAMPLER_ARG` of a `traceidratio` sampler is below 0 \
                 or above 1.",
        why: "The ratio is a fraction, not a percentage. SDKs reject values outside [0, 1]: some refuse \
              to build the sampler and the tracer provider fails to start, others log a warning and \
              fall back to sampling everything. `10` meaning 10% is the usual cause.",
        fix: "Write the fraction: 10% is `0.1`.",
        example: "OTEL_TRACES_SAMPLER=traceidratio\nOTEL_TRACES_SAMPLER_ARG=10",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let sampler = &ctx.settings.pipeline.sampler;
    let evidence = Evidence::new().setting("OTEL_TRACES_SAMPLER", &sampler.name);
    let (Some(Ok(ratio)), Some(arg)) = (sampler.ratio(), &sampler.arg) else {
        return Outcome::Pass(evidence);
    };
    if (0.0..=1.0).contains(&ratio) {
        return Outcome::Pass(evidence.setting("OTEL_TRACES_SAMPLER_ARG", arg));
    }
    let fix = if ratio > 1.0 && ratio <= 100.0 {
        format!(
            "export OTEL_TRACES_SAMPLER_ARG={} (if {} meant percent)",
            ratio / 100.0,
            arg.value.trim()
        )
    } else {
        "export OTEL_TRACES_SAMPLER_ARG=0.1 (a fraction between 0 and 1; 0.1 keeps 10%)".to_string()
    };
    Outcome::Findings(vec![
        Draft::new(
            "OTEL_TRACES_SAMPLER_ARG",
            format!(
                "OTEL_TRACES_SAMPLER_ARG is `{}`, outside [0, 1]: SDKs either fail to build the \
                 `{}` sampler or ignore the value and sample everything.",
                arg.value, sampler.name.value
            ),
            fix,
        )
        .setting("OTEL_TRACES_SAMPLER", &sampler.name)
        .setting("OTEL_TRACES_SAMPLER_ARG", arg),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    fn ratio(arg: &str) -> [(&str, &str); 2] {
        [
            ("OTEL_TRACES_SAMPLER", "traceidratio"),
            ("OTEL_TRACES_SAMPLER_ARG", arg),
        ]
    }

    #[test]
    fn passes_inside_the_range() {
        assert!(passes(&CHECK, Sdk::Spec, &ratio("1")));
        assert!(passes(&CHECK, Sdk::Spec, &ratio("0.5")));
    }

    #[test]
    fn flags_percentages_and_negatives() {
        let f = findings(&CHECK, Sdk::Spec, &ratio("10"));
        assert!(
            f[0].fix.starts_with("export OTEL_TRACES_SAMPLER_ARG=0.1 "),
            "{}",
            f[0].fix
        );
        let f = findings(&CHECK, Sdk::Spec, &ratio("-0.5"));
        assert!(f[0].fix.contains("between 0 and 1"));
    }
}
