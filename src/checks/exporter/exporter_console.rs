use crate::checks::facts::WithSetting;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "EXP003",
    name: "traces-exporter-console-only",
    family: Family::Exporter,
    severity: Severity::Warning,
    title: "Spans are exported to a backend, not only to the console",
    explanation: Explanation {
        checks: "Whether `OTEL_TRACES_EXPORTER` lists only `console` or `logging` (the deprecated \
                 name of the console exporter), with no exporter that sends to a backend.",
        why: "The console exporter prints spans to standard output. It is meant for development; in a \
              deployment the spans end in the container log and the tracing backend stays empty.",
        fix: "Set `OTEL_TRACES_EXPORTER=otlp`, or `otlp,console` to keep the console output as well.",
        example: "OTEL_TRACES_EXPORTER=console",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let exporters = &ctx.settings.pipeline.exporters;
    let list = &exporters.value;
    let console_only = !list.is_empty()
        && list
            .iter()
            .all(|e| matches!(e.as_str(), "console" | "logging" | "otlp/stdout"));
    let joined = exporters.map(|l| l.join(","));
    if !console_only {
        return Outcome::Pass(Evidence::new().setting("OTEL_TRACES_EXPORTER", &joined));
    }
    let deprecated = if list.iter().any(|e| e == "logging") {
        " `logging` is the deprecated name of `console`."
    } else {
        ""
    };
    Outcome::Findings(vec![
        Draft::new(
            "OTEL_TRACES_EXPORTER",
            format!(
                "OTEL_TRACES_EXPORTER is `{}`: spans go to standard output only, never to a tracing \
                 backend.{deprecated}",
                joined.value
            ),
            "export OTEL_TRACES_EXPORTER=otlp (or otlp,console to keep the console output)",
        )
        .setting("OTEL_TRACES_EXPORTER", &joined),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::testing::{findings, passes};
    use crate::settings::Sdk;

    #[test]
    fn passes_with_a_backend_exporter() {
        assert!(passes(&CHECK, Sdk::Spec, &[]));
        assert!(passes(
            &CHECK,
            Sdk::Spec,
            &[("OTEL_TRACES_EXPORTER", "console,otlp")]
        ));
    }

    #[test]
    fn flags_console_and_logging_alone() {
        findings(&CHECK, Sdk::Spec, &[("OTEL_TRACES_EXPORTER", "console")]);
        let f = findings(&CHECK, Sdk::Spec, &[("OTEL_TRACES_EXPORTER", "logging")]);
        assert!(f[0].message.contains("deprecated"));
    }
}
