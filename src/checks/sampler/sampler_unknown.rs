use crate::checks::facts::WithSetting;
use crate::checks::known_values::closest;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::pipeline::{DEFAULT_SAMPLER, KNOWN_SAMPLERS, TRACES_SAMPLER};

pub static CHECK: Check = Check {
    id: "SMP005",
    name: "sampler-unknown",
    family: Family::Sampler,
    severity: Severity::Warning,
    title: "OTEL_TRACES_SAMPLER names a sampler SDKs know",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_SAMPLER` is one of the samplers the spec defines (`always_on`, \
                 `always_off`, `traceidratio`, their `parentbased_` forms, `jaeger_remote`, \
                 `parentbased_jaeger_remote`, `xray`), with the closest one as a suggestion.",
        why: "By the spec an SDK logs a warning and uses the default `parentbased_always_on` for a \
              sampler it does not know, and ignores `OTEL_TRACES_SAMPLER_ARG`: \
              `OTEL_TRACES_SAMPLER=traceidratio_parentbased` with a ratio of 0.1 keeps every trace.",
        fix: "Correct the spelling, e.g. `export OTEL_TRACES_SAMPLER=parentbased_traceidratio`.",
        example: "OTEL_TRACES_SAMPLER=traceidratio_parentbased\nOTEL_TRACES_SAMPLER_ARG=0.1",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let sampler = &ctx.settings.pipeline.sampler;
    if sampler.known() {
        return Outcome::Pass(Evidence::new().setting(TRACES_SAMPLER, &sampler.name));
    }
    let name = &sampler.name.value;
    let suggestion = closest(name, KNOWN_SAMPLERS);
    let did_you_mean = suggestion
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let arg = match &sampler.arg {
        Some(arg) => format!(", and OTEL_TRACES_SAMPLER_ARG `{}` is ignored", arg.value),
        None => String::new(),
    };
    let fix = match suggestion {
        Some(s) => format!("export {TRACES_SAMPLER}={s}"),
        None => {
            format!("export {TRACES_SAMPLER}=parentbased_traceidratio (or unset {TRACES_SAMPLER})")
        }
    };
    let mut draft = Draft::new(
        TRACES_SAMPLER,
        format!(
            "OTEL_TRACES_SAMPLER is `{name}`{did_you_mean}, a sampler no SDK knows: by the spec the \
             SDK logs a warning and uses `{DEFAULT_SAMPLER}`, keeping every trace{arg}."
        ),
        fix,
    )
    .setting(TRACES_SAMPLER, &sampler.name);
    if let Some(arg) = &sampler.arg {
        draft = draft.setting("OTEL_TRACES_SAMPLER_ARG", arg);
    }
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_known_samplers() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_SAMPLER", "ParentBased_TraceIdRatio")]
        ));
    }

    #[test]
    fn flags_a_misspelt_sampler_and_its_ignored_argument() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_TRACES_SAMPLER", "traceidration"),
                ("OTEL_TRACES_SAMPLER_ARG", "0.1"),
            ],
        );
        assert!(
            f[0].message.contains("did you mean `traceidratio`?"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("`0.1` is ignored"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fix, "export OTEL_TRACES_SAMPLER=traceidratio");
    }
}
