use super::config;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL004",
    name: "receiver-endpoint-implicit",
    family: Family::Collector,
    severity: Severity::Info,
    title: "Every receiver protocol sets its endpoint explicitly",
    explanation: Explanation {
        checks: "Receiver protocols (otlp `grpc`/`http`, jaeger, zipkin, opencensus) enabled without \
                 an `endpoint`.",
        why: "Without an endpoint the receiver binds its default, which is `localhost:<port>` since \
              collector v0.104.0 (it was `0.0.0.0` before). The same config therefore accepts spans \
              from other containers on an old collector and refuses them after an upgrade.",
        fix: "Write the endpoint out: `0.0.0.0:4317` to accept spans from other containers or pods, \
              `localhost:4317` when only local processes send.",
        example: "receivers:\n  otlp:\n    protocols:\n      grpc:\n      http:\n",
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
    let drafts = listeners
        .iter()
        .filter(|l| l.endpoint.is_none())
        .map(|l| {
            let port = l.port.unwrap_or(0);
            Draft::new(
                config.subject(l.line, &l.path()),
                format!(
                    "Receiver `{}` sets no endpoint: collectors since v0.104.0 bind localhost:{port}, \
                     unreachable from other containers or pods (older ones bound 0.0.0.0:{port}).",
                    l.receiver
                ),
                format!("Set `endpoint: 0.0.0.0:{port}` (or `localhost:{port}` if only local processes send)."),
            )
            .evidence("default_endpoint", format!("localhost:{port}"))
        })
        .collect();
    Outcome::from_drafts(drafts, Evidence::new().with("listeners", listeners.len()))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_when_endpoints_are_explicit() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn explains_the_localhost_default() {
        let f = findings(
            &CHECK,
            "receivers:\n  otlp:\n    protocols:\n      grpc:\n      http: {}\n",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].subject, "config.yaml:4 receivers.otlp.protocols.grpc");
        assert!(f[1].message.contains("localhost:4318"));
    }
}
