use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::components::Signal;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL005",
    name: "traces-pipeline-incomplete",
    family: Family::Collector,
    severity: Severity::Error,
    title: "A traces pipeline exists and each has receivers and exporters",
    explanation: Explanation {
        checks: "That `service.pipelines` has at least one `traces` (or `traces/<name>`) pipeline, and \
                 that every traces pipeline lists at least one receiver and one exporter.",
        why: "Without a traces pipeline the collector refuses or drops every span. A pipeline with no \
              receiver or no exporter is rejected at start-up (`must have at least one receiver`).",
        fix: "Declare `service.pipelines.traces` with `receivers: [otlp]` and an exporter to the \
              tracing backend, e.g. `exporters: [otlp/jaeger]`.",
        example: "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: []\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let traces: Vec<_> = config
        .pipelines
        .iter()
        .filter(|p| p.signal == Some(Signal::Traces))
        .collect();
    if traces.is_empty() {
        let others: Vec<&str> = config.pipelines.iter().map(|p| p.id.as_str()).collect();
        return Outcome::Findings(vec![
            Draft::new(
                config.subject(config.pipelines_line, "service.pipelines"),
                format!(
                    "No traces pipeline: the collector accepts no span (pipelines: {}).",
                    if others.is_empty() {
                        "none".to_string()
                    } else {
                        others.join(", ")
                    }
                ),
                "Add service.pipelines.traces with receivers: [otlp] and exporters to the tracing \
                 backend.",
            )
            .evidence("pipelines", others.len()),
        ]);
    }
    let mut drafts = Vec::new();
    for p in &traces {
        for (what, empty) in [
            ("receiver", p.receivers.is_empty()),
            ("exporter", p.exporters.is_empty()),
        ] {
            if empty {
                drafts.push(
                    Draft::new(
                        config.subject(p.line, &p.path()),
                        format!(
                            "Pipeline `{}` has no {what}: the collector refuses to start \
                             (\"must have at least one {what}\").",
                            p.id
                        ),
                        format!("List at least one {what} under {}.{what}s.", p.path()),
                    )
                    .evidence("pipeline", p.id.clone()),
                );
            }
        }
    }
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("traces_pipelines", traces.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_with_a_complete_traces_pipeline() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn flags_a_missing_traces_pipeline() {
        let f = findings(
            &CHECK,
            "service:\n  pipelines:\n    metrics:\n      receivers: [otlp]\n",
        );
        assert_eq!(f[0].subject, "config.yaml:2 service.pipelines");
        assert!(f[0].message.contains("metrics"));
    }

    #[test]
    fn flags_pipelines_without_receivers_or_exporters() {
        let f = findings(
            &CHECK,
            "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n    traces/2:\n      exporters: [debug]\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].subject, "config.yaml:3 service.pipelines.traces");
        assert!(f[0].message.contains("no exporter"));
        assert!(f[1].message.contains("no receiver"));
    }
}
