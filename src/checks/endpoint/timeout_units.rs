use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::{Sdk, TimeUnit};

pub static CHECK: Check = Check {
    id: "END008",
    name: "otlp-timeout-units",
    family: Family::Endpoint,
    severity: Severity::Warning,
    title: "The OTLP export timeout is a plausible value in the SDK's unit",
    explanation: Explanation {
        checks: "Whether `OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT` parses, and whether its value looks like \
                 the wrong unit: 1-120 for an SDK that reads milliseconds (the spec), or 1000 and more for \
                 the Python SDK, which historically reads seconds (`--sdk python`).",
        why: "`OTEL_EXPORTER_OTLP_TIMEOUT=10` means 10 ms to most SDKs: every export times out before the \
              collector answers, and spans are dropped with a timeout error. The same value means 10 s to \
              the Python SDK, so a config shared across languages is wrong for someone. A value the SDK \
              cannot parse (`10s`) is ignored.",
        fix: "Write a whole number of milliseconds (10000 for 10 s); for the Python SDK, seconds.",
        example: "OTEL_EXPORTER_OTLP_TIMEOUT=10",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let timeout = &ctx.settings.otlp.timeout;
    let evidence = Evidence::new().setting("timeout", &timeout.map(|t| t.raw.clone()));
    let Some(var) = timeout.var else {
        return Outcome::Pass(evidence);
    };
    let raw = timeout.value.raw.trim();
    let unit = timeout.value.unit;
    let sdk = ctx.settings.sdk;
    let reader = match sdk {
        Sdk::Spec => "SDKs following the spec".to_string(),
        sdk => format!("the {sdk} SDK"),
    };
    let (message, fix) = match (timeout.value.millis(), unit) {
        (None, TimeUnit::Milliseconds) => (
            format!(
                "{var} is `{raw}`, not a whole number of milliseconds: the SDK ignores it and uses 10000."
            ),
            format!("export {var}=10000"),
        ),
        (None, TimeUnit::Seconds) => (
            format!(
                "{var} is `{raw}`, not a number of seconds: the {sdk} SDK ignores it and uses 10."
            ),
            format!("export {var}=10"),
        ),
        (Some(ms @ 1..=120), TimeUnit::Milliseconds) => {
            let python = if sdk == Sdk::Spec {
                " (Only the Python SDK reads seconds; if this is for Python, pass --sdk python.)"
            } else {
                ""
            };
            (
                format!(
                    "{var} is {ms}, which {reader} read as {ms} ms: it looks meant as seconds, and \
                     exports will time out before the collector answers.{python}"
                ),
                format!("export {var}={}", ms * 1000),
            )
        }
        (Some(ms), TimeUnit::Seconds) if ms >= 1_000_000 => (
            format!(
                "{var} is {raw}, which the {sdk} SDK reads as seconds ({} min): it looks meant as \
                 milliseconds, and a hung collector blocks the exporter that long.",
                ms / 60_000
            ),
            format!("export {var}={}", ms / 1_000_000),
        ),
        _ => return Outcome::Pass(evidence),
    };
    Outcome::Findings(vec![
        Draft::new(var, message, fix)
            .setting("timeout", &timeout.map(|t| t.raw.clone()))
            .fact("unit", unit.as_str())
            .fact("sdk", sdk.as_str()),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_for_plausible_values() {
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_EXPORTER_OTLP_TIMEOUT", "10000")]
        ));
        assert!(passes(
            &CHECK,
            Sdk::Python,
            &[("OTEL_EXPORTER_OTLP_TIMEOUT", "10")]
        ));
        assert!(passes(&CHECK, Sdk::Spec, &[]));
    }

    #[test]
    fn flags_seconds_for_a_milliseconds_sdk() {
        let f = findings(&CHECK, Sdk::Go, &[("OTEL_EXPORTER_OTLP_TIMEOUT", "10")]);
        assert_eq!(f[0].fix, "export OTEL_EXPORTER_OTLP_TIMEOUT=10000");
    }

    #[test]
    fn flags_milliseconds_for_python_and_unparsable_values() {
        let f = findings(
            &CHECK,
            Sdk::Python,
            &[("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "10000")],
        );
        assert_eq!(f[0].fix, "export OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=10");
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")]);
        assert_eq!(f[0].fix, "export OTEL_EXPORTER_OTLP_TIMEOUT=10000");
    }
}
