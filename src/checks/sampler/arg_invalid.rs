use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "SMP004",
    name: "sampler-arg-unused",
    family: Family::Sampler,
    severity: Severity::Warning,
    title: "OTEL_TRACES_SAMPLER_ARG is a number the sampler reads",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_SAMPLER_ARG` parses as a number for a `traceidratio` sampler, and \
                 whether it is set for a sampler that takes no argument (including the default \
                 `parentbased_always_on`, when `OTEL_TRACES_SAMPLER` is unset). A sampler name no SDK \
                 knows is reported by SMP005 instead.",
        why: "An argument the SDK cannot parse (`10%`, `1/10`) is logged and ignored: the sampler keeps \
              every trace. An argument set without a ratio sampler is ignored too: the user believes 10% \
              of traces are kept while the SDK keeps all of them, or the reverse.",
        fix: "Set `OTEL_TRACES_SAMPLER=parentbased_traceidratio` and a plain decimal argument such as \
              `0.1`.",
        example: "OTEL_TRACES_SAMPLER_ARG=0.1     # OTEL_TRACES_SAMPLER unset: the argument is ignored",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

/// Samplers whose argument is not a ratio but still read (`endpoint=...,pollingIntervalMs=...`).
const KEY_VALUE_ARG: &[&str] = &["jaeger_remote", "parentbased_jaeger_remote"];

fn run(ctx: &Context) -> Outcome {
    let sampler = &ctx.settings.pipeline.sampler;
    let evidence = Evidence::new().setting("OTEL_TRACES_SAMPLER", &sampler.name);
    let Some(arg) = &sampler.arg else {
        return Outcome::Pass(evidence);
    };
    let name = &sampler.name.value;
    let draft = match sampler.ratio() {
        Some(Err(why)) => Draft::new(
            "OTEL_TRACES_SAMPLER_ARG",
            format!(
                "OTEL_TRACES_SAMPLER_ARG {why}: the `{name}` sampler ignores it and uses its default \
                 ratio 1.0, keeping every trace."
            ),
            "export OTEL_TRACES_SAMPLER_ARG=0.1 (a decimal fraction: 0.1 keeps 10%)",
        ),
        Some(Ok(_)) => return Outcome::Pass(evidence.setting("OTEL_TRACES_SAMPLER_ARG", arg)),
        None if KEY_VALUE_ARG.contains(&name.as_str()) || !sampler.known() => {
            return Outcome::Pass(evidence.setting("OTEL_TRACES_SAMPLER_ARG", arg));
        }
        None => {
            let unset = if sampler.name.var.is_none() {
                " (OTEL_TRACES_SAMPLER is unset)"
            } else {
                ""
            };
            Draft::new(
                "OTEL_TRACES_SAMPLER_ARG",
                format!(
                    "OTEL_TRACES_SAMPLER_ARG is `{}` but the sampler is `{name}`{unset}, which takes no \
                     argument: the value is ignored.",
                    arg.value
                ),
                "export OTEL_TRACES_SAMPLER=parentbased_traceidratio (or unset OTEL_TRACES_SAMPLER_ARG)",
            )
        }
    };
    Outcome::Findings(vec![
        draft
            .setting("OTEL_TRACES_SAMPLER", &sampler.name)
            .setting("OTEL_TRACES_SAMPLER_ARG", arg),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_a_ratio_or_a_remote_sampler_arg() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_TRACES_SAMPLER", "traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "0.2")
            ]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_TRACES_SAMPLER", "parentbased_jaeger_remote"),
                ("OTEL_TRACES_SAMPLER_ARG", "endpoint=http://agent:14250")
            ]
        ));
    }

    #[test]
    fn flags_unparsable_and_ignored_arguments() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_TRACES_SAMPLER", "traceidratio"),
                ("OTEL_TRACES_SAMPLER_ARG", "10%"),
            ],
        );
        assert!(f[0].message.contains("not a number"));
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_TRACES_SAMPLER_ARG", "0.1")]);
        assert!(
            f[0].message.contains("OTEL_TRACES_SAMPLER is unset"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn leaves_an_unknown_sampler_to_smp005() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[
                ("OTEL_TRACES_SAMPLER", "traceidration"),
                ("OTEL_TRACES_SAMPLER_ARG", "0.1")
            ]
        ));
    }
}
