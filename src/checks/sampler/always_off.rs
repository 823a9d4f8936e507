use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "SMP001",
    name: "sampler-always-off",
    family: Family::Sampler,
    severity: Severity::Error,
    title: "The sampler is not always_off",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_SAMPLER` is `always_off` (error) or `parentbased_always_off` \
                 (warning: root spans are dropped, spans under a sampled remote parent are kept).",
        why: "`always_off` drops every span before it is recorded: nothing is exported and nothing \
              complains. `parentbased_always_off` never starts a trace itself, so a service that receives \
              requests without a sampled `traceparent` (an edge service, a cron job) exports nothing.",
        fix: "Use `parentbased_always_on` (the default), or `parentbased_traceidratio` with \
              `OTEL_TRACES_SAMPLER_ARG` to keep a fraction.",
        example: "OTEL_TRACES_SAMPLER=always_off",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let sampler = &ctx.settings.pipeline.sampler.name;
    let message = match sampler.value.as_str() {
        "always_off" => {
            "OTEL_TRACES_SAMPLER is `always_off`: every span is dropped before it is recorded."
        }
        "parentbased_always_off" => {
            "OTEL_TRACES_SAMPLER is `parentbased_always_off`: this service never starts a trace; it \
             only records spans under a remote parent that is already sampled."
        }
        _ => return Outcome::Pass(Evidence::new().setting("OTEL_TRACES_SAMPLER", sampler)),
    };
    let mut draft = Draft::new(
        "OTEL_TRACES_SAMPLER",
        message,
        "export OTEL_TRACES_SAMPLER=parentbased_always_on (or parentbased_traceidratio with \
         OTEL_TRACES_SAMPLER_ARG=0.1 to keep 10%)",
    )
    .setting("OTEL_TRACES_SAMPLER", sampler);
    if sampler.value.starts_with("parentbased") {
        draft = draft.severity(Severity::Warning);
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_by_default() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_SAMPLER", "always_on")]
        ));
    }

    #[test]
    fn flags_always_off_and_its_parentbased_variant() {
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_TRACES_SAMPLER", "ALWAYS_OFF")]);
        assert_eq!(f[0].severity, None);
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_SAMPLER", "parentbased_always_off")],
        );
        assert_eq!(f[0].severity, Some(Severity::Warning));
    }
}
