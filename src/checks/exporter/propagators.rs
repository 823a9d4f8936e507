use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "EXP006",
    name: "propagators-without-tracecontext",
    family: Family::Exporter,
    severity: Severity::Warning,
    title: "OTEL_PROPAGATORS includes tracecontext",
    explanation: Explanation {
        checks: "Whether `OTEL_PROPAGATORS` lists `tracecontext` (W3C `traceparent`). `none` is reported \
                 as an error.",
        why: "Propagators carry the trace from one service to the next. With `none` nothing is extracted \
              or injected: every request starts a new trace and the backend shows many one-service \
              traces. Without `tracecontext`, this service only joins traces from peers that use the \
              same other format (b3, jaeger, xray); every OpenTelemetry SDK defaults to tracecontext.",
        fix: "Keep `tracecontext,baggage` first and add the other formats your peers need.",
        example: "OTEL_PROPAGATORS=b3\nOTEL_PROPAGATORS=none",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let propagators = &ctx.settings.pipeline.propagators;
    let list = &propagators.value;
    let joined = propagators.map(|l| l.join(","));
    if list.iter().any(|p| p == "tracecontext") && !list.iter().any(|p| p == "none") {
        return Outcome::Pass(Evidence::new().setting("OTEL_PROPAGATORS", &joined));
    }
    let mut wanted = vec!["tracecontext".to_string(), "baggage".to_string()];
    for p in list {
        if !wanted.contains(p) && p != "none" {
            wanted.push(p.clone());
        }
    }
    let fix = format!("export OTEL_PROPAGATORS={}", wanted.join(","));
    let draft = if list.iter().any(|p| p == "none") {
        Draft::new(
            "OTEL_PROPAGATORS",
            format!(
                "OTEL_PROPAGATORS `{}` holds `none`: no trace context is read from incoming requests \
                 or sent with outgoing ones, so every request starts a new trace.",
                joined.value
            ),
            fix,
        )
        .severity(Severity::Error)
    } else {
        Draft::new(
            "OTEL_PROPAGATORS",
            format!(
                "OTEL_PROPAGATORS `{}` has no `tracecontext`: traces break at every peer that uses W3C \
                 traceparent, the default of every OpenTelemetry SDK.",
                joined.value
            ),
            fix,
        )
    };
    Outcome::Findings(vec![draft.setting("OTEL_PROPAGATORS", &joined)])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::rule::Severity;
    use crate::settings::Sdk;

    #[test]
    fn passes_by_default_and_with_tracecontext() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_PROPAGATORS", "b3,tracecontext")]
        ));
    }

    #[test]
    fn flags_missing_tracecontext_and_keeps_other_formats() {
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_PROPAGATORS", "b3multi")]);
        assert_eq!(
            f[0].fix,
            "export OTEL_PROPAGATORS=tracecontext,baggage,b3multi"
        );
        assert_eq!(f[0].severity, None);
    }

    #[test]
    fn none_is_an_error() {
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_PROPAGATORS", "none")]);
        assert_eq!(f[0].severity, Some(Severity::Error));
        assert_eq!(f[0].fix, "export OTEL_PROPAGATORS=tracecontext,baggage");
    }
}
