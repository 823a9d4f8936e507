use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::model::{CollectorConfig, Component, Section};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL006",
    name: "component-unused",
    family: Family::Collector,
    severity: Severity::Warning,
    title: "Every defined component is used by a pipeline or the service",
    explanation: Explanation {
        checks: "Receivers, processors, exporters and connectors that no pipeline names, and \
                 extensions missing from `service.extensions`.",
        why: "The collector silently ignores a defined but unused component: an exporter written for \
              the tracing backend but not added to the traces pipeline means spans never reach it, \
              and nothing logs why.",
        fix: "Add the component to the pipeline that needs it (`service.pipelines.traces.exporters`, \
              `service.extensions`), or delete its definition.",
        example: "exporters:\n  otlp/jaeger:\n    endpoint: jaeger:4317\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn used(config: &CollectorConfig, c: &Component) -> bool {
    let named = |refs: &[crate::collector::model::Ref]| refs.iter().any(|r| r.id == c.id);
    match c.section {
        Section::Extensions => named(&config.service_extensions),
        Section::Receivers => config.pipelines.iter().any(|p| named(&p.receivers)),
        Section::Processors => config.pipelines.iter().any(|p| named(&p.processors)),
        Section::Exporters => config.pipelines.iter().any(|p| named(&p.exporters)),
        Section::Connectors => config
            .pipelines
            .iter()
            .any(|p| named(&p.receivers) || named(&p.exporters)),
    }
}

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let drafts = config
        .components
        .iter()
        .filter(|c| !used(config, c))
        .map(|c| {
            let place = if c.section == Section::Extensions {
                "service.extensions".to_string()
            } else {
                format!("the {}s of a pipeline", c.section.singular())
            };
            Draft::new(
                config.subject(c.line, &c.path()),
                format!(
                    "The {} `{}` is defined but not used: the collector ignores it.",
                    c.section.singular(),
                    c.id
                ),
                format!("Add `{}` to {place}, or delete its definition.", c.id),
            )
            .evidence("component", c.path())
        })
        .collect();
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("components", config.components.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_when_everything_is_used() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn flags_unused_exporters_and_extensions() {
        let yaml =
            format!("{GOOD}extensions:\n  health_check: {{}}\nconnectors:\n  spanmetrics: {{}}\n")
                .replace(
                    "exporters:\n  otlp/jaeger:",
                    "exporters:\n  debug: {}\n  otlp/jaeger:",
                );
        let f = findings(&CHECK, &yaml);
        let subjects: Vec<_> = f.iter().map(|d| d.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "config.yaml:11 exporters.debug",
                "config.yaml:25 connectors.spanmetrics",
                "config.yaml:23 extensions.health_check"
            ]
        );
    }
}
