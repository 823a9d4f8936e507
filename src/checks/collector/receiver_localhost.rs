use super::config;
use crate::checks::{Check, Context, Run};
use crate::collector::model::is_loopback;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "COL003",
    name: "receiver-bound-to-localhost",
    family: Family::Collector,
    severity: Severity::Warning,
    title: "No receiver endpoint is bound to localhost",
    explanation: Explanation {
        checks: "Receiver endpoints whose host is `localhost`, `127.0.0.1` (any 127/8 address) or \
                 `::1`.",
        why: "A loopback endpoint accepts connections only from the same network namespace. In a \
              container or pod, other containers and pods (the apps) cannot reach it: their \
              exports fail with `connection refused` while the collector looks healthy.",
        fix: "Bind the receiver on every interface (`0.0.0.0:4317`), or on the pod IP \
              (`${env:MY_POD_IP}:4317`), when apps run in other containers or pods.",
        example: "receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: localhost:4317\n",
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
        .filter(|l| l.endpoint.is_some() && is_loopback(&l.host))
        .map(|l| {
            let port = l
                .port
                .map(|p| p.to_string())
                .unwrap_or_else(|| "PORT".into());
            Draft::new(
                config.subject(l.line, &l.path()),
                format!(
                    "Receiver `{}` listens on {}: only processes in the collector's own container, \
                     pod or host can send to it.",
                    l.receiver,
                    l.address()
                ),
                format!("If apps run in other containers or pods, set `endpoint: 0.0.0.0:{port}`."),
            )
            .evidence("endpoint", l.address())
        })
        .collect();
    Outcome::from_drafts(drafts, Evidence::new().with("listeners", listeners.len()))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::collector::test_support::{GOOD, findings, passes};

    #[test]
    fn passes_on_wildcard_endpoints() {
        assert!(passes(&CHECK, GOOD));
    }

    #[test]
    fn flags_localhost_and_loopback_addresses() {
        let yaml = "receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: localhost:4317\n      http:\n        endpoint: 127.0.0.1:4318\n  zipkin:\n    endpoint: 0.0.0.0:9411\n";
        let f = findings(&CHECK, yaml);
        assert_eq!(f.len(), 2);
        assert_eq!(
            f[0].subject,
            "config.yaml:5 receivers.otlp.protocols.grpc.endpoint"
        );
        assert!(f[1].fix.contains("0.0.0.0:4318"));
    }
}
