use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::model::{Listener, is_loopback, is_wildcard};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL009",
    name: "receiver-port-clash",
    family: Family::Collector,
    severity: Severity::Error,
    title: "No two receivers listen on the same port",
    explanation: Explanation {
        checks: "Receiver listeners (written or defaulted) that bind the same port and transport \
                 (TCP, or UDP for Jaeger's thrift_compact/thrift_binary) on overlapping addresses: \
                 the same host, or one of them on every interface.",
        why: "The second bind fails with `address already in use` and the collector exits at \
              start-up, so the whole collector is down, not just one receiver.",
        fix: "Give each receiver its own port, e.g. keep OTLP on 4317/4318 and move the other one to \
              its own default port.",
        example: "receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n  otlp/2:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n",
    },
    needs: Needs::CollectorConfig,
    run: Run::Sync(run),
};

fn overlap(a: &Listener, b: &Listener) -> bool {
    a.port.is_some()
        && a.port == b.port
        && a.udp == b.udp
        && (a.host == b.host
            || is_wildcard(&a.host)
            || is_wildcard(&b.host)
            || (is_loopback(&a.host) && is_loopback(&b.host)))
}

fn run(ctx: &Context) -> Outcome {
    let config = match config(ctx) {
        Ok(c) => c,
        Err(outcome) => return outcome,
    };
    let listeners = config.listeners();
    let mut drafts = Vec::new();
    for (i, b) in listeners.iter().enumerate() {
        if let Some(a) = listeners[..i].iter().find(|a| overlap(a, b)) {
            let transport = if b.udp { "udp" } else { "tcp" };
            let port = b.port.unwrap_or(0);
            drafts.push(
                Draft::new(
                    config.subject(b.line, &b.path()),
                    format!(
                        "{} ({}) and {} ({}) both listen on {transport} port {port}: the second bind \
                         fails with `address already in use` and the collector exits.",
                        b.path(),
                        b.address(),
                        a.path(),
                        a.address()
                    ),
                    format!("Move one of them to a free port, e.g. set {} to another port.", b.path()),
                )
                .evidence("port", port)
                .evidence("transport", transport)
                .evidence("first", a.path()),
            );
        }
    }
    Outcome::from_drafts(drafts, Evidence::new().with("listeners", listeners.len()))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_with_distinct_ports() {
        assert!(passes(&CHECK, GOOD));
        let udp_and_tcp = "receivers:\n  jaeger:\n    protocols:\n      thrift_compact:\n        endpoint: 0.0.0.0:6831\n  zipkin:\n    endpoint: 0.0.0.0:6831\n";
        assert!(passes(&CHECK, udp_and_tcp));
    }

    #[test]
    fn flags_explicit_and_default_clashes() {
        let yaml = "receivers:\n  otlp:\n    protocols:\n      grpc:\n  otlp/2:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n  zipkin:\n    endpoint: 127.0.0.1:4318\n  otlp/3:\n    protocols:\n      http:\n        endpoint: localhost:4318\n";
        let f = findings(&CHECK, yaml);
        assert_eq!(f.len(), 2);
        assert_eq!(
            f[0].subject,
            "config.yaml:8 receivers.otlp/2.protocols.grpc.endpoint"
        );
        assert_eq!(f[1].evidence.get("port"), Some(&serde_json::json!(4318)));
    }
}
