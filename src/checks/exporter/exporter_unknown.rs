use crate::checks::known_values::ListRule;
use crate::checks::{Check, Context, Run};
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::pipeline::{KNOWN_EXPORTERS, TRACES_EXPORTER};

pub static CHECK: Check = Check {
    id: "EXP007",
    name: "traces-exporter-unknown",
    family: Family::Exporter,
    severity: Severity::Warning,
    title: "OTEL_TRACES_EXPORTER names only exporters SDKs know",
    explanation: Explanation {
        checks: "Whether every value of `OTEL_TRACES_EXPORTER` is one SDKs know (`otlp`, `console`, \
                 `zipkin`, `none`, and the removed or deprecated `jaeger` and `logging` that other \
                 checks report), with the closest known value as a suggestion.",
        why: "By the spec an SDK logs a warning and ignores a value it does not know (some SDKs refuse \
              to start instead). `OTEL_TRACES_EXPORTER=otpl` leaves no exporter at all: the app runs, \
              records spans and sends none of them.",
        fix: "Correct the spelling, e.g. `export OTEL_TRACES_EXPORTER=otlp`.",
        example: "OTEL_TRACES_EXPORTER=otpl",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

static RULE: ListRule = ListRule {
    var: TRACES_EXPORTER,
    known: KNOWN_EXPORTERS,
    default: &["otlp"],
    when_nothing_left: "no exporter is left and no span leaves the service",
};

fn run(ctx: &Context) -> Outcome {
    RULE.check(&ctx.settings.pipeline.exporters)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_with_known_exporters() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_EXPORTER", "OTLP,console")]
        ));
    }

    #[test]
    fn a_lone_typo_is_an_error_with_a_suggestion() {
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_TRACES_EXPORTER", "otpl")]);
        assert_eq!(f[0].severity, Some(Severity::Error));
        assert!(
            f[0].message.contains("did you mean `otlp`?"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fix, "export OTEL_TRACES_EXPORTER=otlp");
    }

    #[test]
    fn an_unknown_value_beside_a_known_one_is_a_warning() {
        let f = findings(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_EXPORTER", "otlp,datadog")],
        );
        assert_eq!(f[0].severity, Some(Severity::Warning));
        assert!(
            f[0].message.contains("only `otlp` is used"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fix, "export OTEL_TRACES_EXPORTER=otlp");
    }
}
