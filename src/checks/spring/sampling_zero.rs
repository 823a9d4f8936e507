use super::{assign, at, spring};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::spring::PROBABILITY;

pub static CHECK: Check = Check {
    id: "SPR004",
    name: "spring-sampling-probability-zero",
    family: Family::Spring,
    severity: Severity::Error,
    title: "Spring's sampling probability keeps some traces",
    explanation: Explanation {
        checks: "Whether `management.tracing.sampling.probability` (or \
                 MANAGEMENT_TRACING_SAMPLING_PROBABILITY) is 0.",
        why: "A probability of 0 samples no trace this app starts: tracing looks configured and \
              nothing arrives. (Spring's default, when unset, is 0.1: one trace in ten.)",
        fix: "Set the fraction to keep, e.g. `management.tracing.sampling.probability: 1.0` \
              while testing, 0.1 in production.",
        example: "management.tracing.sampling.probability: 0",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let spring = match spring(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let Some(p) = spring.get(PROBABILITY) else {
        return Outcome::Pass(Evidence::new().with(PROBABILITY, "0.1 (default)"));
    };
    let value = p.value.trim();
    if value.parse::<f64>().ok() != Some(0.0) {
        return Outcome::Pass(Evidence::new().with(PROBABILITY, value.to_string()));
    }
    let draft = Draft::new(
        p.key.clone(),
        format!("{} is {value}: no trace this app starts is sampled.", p.key),
        format!(
            "Set {} (1.0 keeps every trace, 0.1 one in ten)",
            assign(p, "1.0")
        ),
    );
    Outcome::Findings(vec![at(draft, p)])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::spring::testing::{findings, passes};

    #[test]
    fn passes_unset_or_positive() {
        assert!(passes(&CHECK, "management.tracing.enabled: true\n", &[]));
        assert!(passes(
            &CHECK,
            "management.tracing.sampling.probability: 0.05\n",
            &[]
        ));
    }

    #[test]
    fn flags_zero_in_a_file_and_in_the_environment() {
        let f = findings(
            &CHECK,
            "management:\n  tracing:\n    sampling:\n      probability: 0.0\n",
            &[],
        );
        assert_eq!(
            f[0].location.as_ref().unwrap().to_string(),
            "application.yaml:4"
        );
        let f = findings(
            &CHECK,
            "",
            &[("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0")],
        );
        assert_eq!(
            f[0].fix,
            "Set MANAGEMENT_TRACING_SAMPLING_PROBABILITY=1.0 (1.0 keeps every trace, 0.1 one in ten)"
        );
    }
}
