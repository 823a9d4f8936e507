use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::components::{self, Signal};
use crate::collector::model::{CollectorConfig, Section, kind_of};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL008",
    name: "pipeline-signal-mismatch",
    family: Family::Collector,
    severity: Severity::Error,
    title: "Every pipeline component supports the pipeline's signal",
    explanation: Explanation {
        checks: "Components of known types used in a pipeline whose signal they do not handle: a \
                 `prometheus` receiver in a traces pipeline, a `zipkin` exporter in a metrics \
                 pipeline, a `spanmetrics` connector used as a traces receiver.",
        why: "The collector refuses to start (`telemetry type is not supported`), or, for connectors, \
              the pipeline is rejected; either way no span is processed.",
        fix: "Move the component to a pipeline of a signal it supports, or use a component made for \
              this signal (e.g. `otlp` for traces).",
        example: "service:\n  pipelines:\n    traces:\n      receivers: [prometheus]\n      exporters: [otlp]\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

/// The signals `id` supports where `section` is expected; `None` when unknown.
fn supported(config: &CollectorConfig, section: Section, id: &str) -> Option<&'static [Signal]> {
    let kind = kind_of(id);
    let connector = config.find(Section::Connectors, id).is_some();
    match section {
        Section::Receivers if connector => components::connector_signals(kind).map(|(_, r)| r),
        Section::Exporters if connector => components::connector_signals(kind).map(|(e, _)| e),
        Section::Receivers => components::receiver_signals(kind),
        Section::Exporters => components::exporter_signals(kind),
        Section::Processors => components::processor_signals(kind),
        Section::Connectors | Section::Extensions => None,
    }
}

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let mut drafts = Vec::new();
    for p in &config.pipelines {
        let Some(signal) = p.signal else { continue };
        for (section, r) in p.refs() {
            let Some(signals) = supported(config, section, &r.id) else {
                continue;
            };
            if signals.contains(&signal) {
                continue;
            }
            let handles: Vec<&str> = signals.iter().map(|s| s.as_str()).collect();
            drafts.push(
                Draft::new(
                    config.subject(r.line, &format!("{}.{}: {}", p.path(), section.key(), r.id)),
                    format!(
                        "`{}` is used as a {} in the {} pipeline `{}`, but handles only {}: the \
                         collector refuses this pipeline.",
                        r.id,
                        section.singular(),
                        signal.as_str(),
                        p.id,
                        handles.join(", ")
                    ),
                    format!(
                        "Remove `{}` from {}.{} and use it in a {} pipeline instead.",
                        r.id,
                        p.path(),
                        section.key(),
                        handles.join(" or ")
                    ),
                )
                .evidence("pipeline_signal", signal.as_str())
                .evidence("supports", handles.join(",")),
            );
        }
    }
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("pipelines", config.pipelines.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_when_signals_match_and_connectors_bridge() {
        assert!(passes(&CHECK, GOOD));
        let yaml = "connectors:\n  spanmetrics: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [spanmetrics]\n    metrics:\n      receivers: [spanmetrics]\n      exporters: [prometheus]\n";
        assert!(passes(&CHECK, yaml));
    }

    #[test]
    fn flags_wrong_signal_components() {
        let yaml = "connectors:\n  spanmetrics: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [prometheus, spanmetrics]\n      processors: [cumulativetodelta]\n      exporters: [loki]\n";
        let f = findings(&CHECK, yaml);
        let subjects: Vec<_> = f.iter().map(|d| d.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "config.yaml:6 service.pipelines.traces.receivers: prometheus",
                "config.yaml:6 service.pipelines.traces.receivers: spanmetrics",
                "config.yaml:7 service.pipelines.traces.processors: cumulativetodelta",
                "config.yaml:8 service.pipelines.traces.exporters: loki",
            ]
        );
    }
}
