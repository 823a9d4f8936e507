use crate::checks::known_values::ListRule;
use crate::checks::{Check, Context, Run};
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::pipeline::{KNOWN_PROPAGATORS, PROPAGATORS};

pub static CHECK: Check = Check {
    id: "EXP008",
    name: "propagators-unknown",
    family: Family::Exporter,
    severity: Severity::Warning,
    title: "OTEL_PROPAGATORS names only propagators SDKs know",
    explanation: Explanation {
        checks: "Whether every value of `OTEL_PROPAGATORS` is one the spec or the contrib propagators \
                 define (`tracecontext`, `baggage`, `b3`, `b3multi`, `jaeger`, `xray`, `ottrace`, \
                 `none`), with the closest known value as a suggestion.",
        why: "By the spec an SDK logs a warning and ignores a propagator it does not know. \
              `OTEL_PROPAGATORS=tracecontext,b3-multi` drops B3: traces from B3 peers start over at \
              this service. When nothing known is left, no context is read or sent at all.",
        fix: "Correct the spelling, e.g. `export OTEL_PROPAGATORS=tracecontext,baggage,b3multi`.",
        example: "OTEL_PROPAGATORS=tracecontext,b3-multi",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

static RULE: ListRule = ListRule {
    var: PROPAGATORS,
    known: KNOWN_PROPAGATORS,
    default: &["tracecontext", "baggage"],
    when_nothing_left: "no propagator is left and every request starts a new trace",
};

fn run(ctx: &Context) -> Outcome {
    RULE.check(&ctx.settings.pipeline.propagators)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_with_known_propagators() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_PROPAGATORS", "tracecontext,baggage,b3multi,xray")]
        ));
    }

    #[test]
    fn flags_a_misspelt_propagator_and_keeps_the_others() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_PROPAGATORS", "tracecontext,b3-multi")],
        );
        assert_eq!(f[0].severity, Some(Severity::Warning));
        assert!(
            f[0].message
                .contains("`b3-multi` (did you mean `b3multi`?)"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fix, "export OTEL_PROPAGATORS=tracecontext,b3multi");
    }

    #[test]
    fn nothing_known_left_is_an_error() {
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_PROPAGATORS", "w3c")]);
        assert_eq!(f[0].severity, Some(Severity::Error));
        assert_eq!(f[0].fix, "export OTEL_PROPAGATORS=tracecontext,baggage");
    }
}
