use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::model::{Section, is_loopback, is_wildcard, split_host_port};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL010",
    name: "exporter-loops-to-own-receiver",
    family: Family::Collector,
    severity: Severity::Error,
    title: "No exporter sends back to a receiver of the same collector",
    explanation: Explanation {
        checks: "Exporter endpoints on `localhost`, a loopback address or `0.0.0.0` whose port is a \
                 port one of this collector's receivers listens on.",
        why: "Spans go round in a loop: received, exported to itself, received again. When the \
              receiver feeds the same pipeline every span multiplies until queues fill and data \
              is dropped; otherwise the backend the exporter was meant for never gets anything.",
        fix: "Point the exporter at the backend (e.g. `jaeger:4317`), not at this collector's own \
              receiver port. To pass data between pipelines use a `forward` connector.",
        example: "receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\nexporters:\n  otlp:\n    endpoint: localhost:4317\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let listeners = config.listeners();
    let mut drafts = Vec::new();
    for exporter in config.components_in(Section::Exporters) {
        let Some(node) = exporter.config.get("endpoint") else {
            continue;
        };
        let Some(endpoint) = node.as_str() else {
            continue;
        };
        let (host, port) = split_host_port(endpoint);
        if !(is_loopback(&host) || (is_wildcard(&host) && !host.is_empty())) {
            continue;
        }
        let Some(target) = listeners
            .iter()
            .find(|l| !l.udp && l.port.is_some() && l.port == port)
        else {
            continue;
        };
        let same_pipeline = config.pipelines.iter().any(|p| {
            p.exporters.iter().any(|r| r.id == exporter.id)
                && p.receivers.iter().any(|r| r.id == target.receiver)
        });
        let mut draft = Draft::new(
            config.subject(node.line, &format!("{}.endpoint", exporter.path())),
            format!(
                "Exporter `{}` sends to {endpoint}, which is this collector's own {} ({}){}.",
                exporter.id,
                target.path(),
                target.address(),
                if same_pipeline {
                    ": the pipeline feeds itself and every span loops"
                } else {
                    ": spans come back in instead of reaching a backend"
                }
            ),
            "Set the exporter's endpoint to the backend's address (e.g. jaeger:4317).",
        )
        .evidence("endpoint", endpoint)
        .evidence("receiver", target.path())
        .evidence("same_pipeline", same_pipeline);
        if !same_pipeline {
            draft = draft.severity(Severity::Warning);
        }
        drafts.push(draft);
    }
    Outcome::from_drafts(drafts, Evidence::new().with("listeners", listeners.len()))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};
    use crate::rule::Severity;

    #[test]
    fn passes_when_exporting_elsewhere() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn flags_a_loop_in_the_same_pipeline_as_an_error() {
        let yaml = GOOD.replace("endpoint: jaeger:4317", "endpoint: localhost:4317");
        let f = findings(&CHECK, &yaml);
        assert_eq!(
            f[0].subject,
            "config.yaml:12 exporters.otlp/jaeger.endpoint"
        );
        assert_eq!(f[0].severity, None);
        assert!(f[0].message.contains("every span loops"));
    }

    #[test]
    fn a_loop_through_another_pipeline_is_a_warning() {
        let yaml = "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\n  zipkin: {}\nexporters:\n  otlphttp:\n    endpoint: http://127.0.0.1:4318\nservice:\n  pipelines:\n    traces:\n      receivers: [zipkin]\n      exporters: [otlphttp]\n";
        let f = findings(&CHECK, yaml);
        assert_eq!(f[0].severity, Some(Severity::Warning));
    }
}
