use crate::checks::live;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::jaeger::AGENT_HOST;

pub static CHECK: Check = Check {
    id: "LOC001",
    name: "loopback-endpoint-in-container",
    family: Family::Localhost,
    severity: Severity::Warning,
    title: "No endpoint points at loopback from inside a container or pod",
    explanation: Explanation {
        checks: "Whether doctor runs in a container or a pod (`/.dockerenv`, `/run/.containerenv`, \
                 `KUBERNETES_SERVICE_HOST`, `/proc/1/cgroup`) while an endpoint or the Jaeger agent host is \
                 `localhost`, 127.0.0.0/8 or ::1.",
        why: "Inside a container `localhost` is the container itself: unless the collector runs in the same \
              container or pod, nothing listens there and every span is dropped. It works on the laptop and \
              fails once deployed.",
        fix: "Use the collector's service name (Docker Compose), `host.docker.internal` (Docker Desktop, the \
              host), or the service DNS name in Kubernetes, e.g. `http://otel-collector.observability.svc:4318`.",
        example: "# in a container\nOTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318",
    },
    needs: Needs::Settings,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let Some(container) = &ctx.live.host.container else {
        return Outcome::Pass(Evidence::new().with("container", "not detected"));
    };
    let mut hosts: Vec<(String, String, String)> = live::configured(ctx)
        .into_iter()
        .map(|c| (c.origin(), c.subject, c.target.host))
        .collect();
    if let Some(agent) = live::agent_setting(ctx) {
        let host = agent.host.value;
        let (origin, subject) = match agent.host.var {
            Some(var) => (format!("{var} points at {host}"), var),
            None => (
                format!(
                    "JAEGER_AGENT_HOST is unset, so the Jaeger client sends to its default {host}"
                ),
                AGENT_HOST,
            ),
        };
        hosts.push((origin, subject.to_string(), host));
    }
    let kubernetes = container.contains("KUBERNETES");
    let drafts = hosts
        .into_iter()
        .filter(|(_, _, host)| live::is_loopback(host))
        .map(|(origin, subject, host)| {
            let fix = if kubernetes {
                format!("Point {subject} at the collector's service, e.g. http://otel-collector.<namespace>.svc:4318 (or the node's agent via status.hostIP).")
            } else {
                format!("Point {subject} at the collector's Compose service name or host.docker.internal (the Docker host).")
            };
            Draft::new(
                subject.clone(),
                format!("{origin}, but this runs in a container ({container}): {host} is the container itself."),
                fix,
            )
            .evidence("container", container.clone())
            .evidence("host", host)
        })
        .collect();
    Outcome::from_drafts(drafts, Evidence::new().with("container", container.clone()))
}

#[cfg(test)]
mod tests {
    use crate::checks::testing::{context, run_in};
    use crate::report::Outcome;
    use crate::settings::Sdk;

    fn with(container: Option<&str>, endpoint: &str) -> Outcome {
        let mut ctx = context(Sdk::Spec, &[("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)]);
        ctx.live.host.container = container.map(str::to_string);
        run_in(&super::CHECK, &ctx)
    }

    #[test]
    fn passes_outside_containers_or_with_a_service_name() {
        assert!(matches!(
            with(None, "http://localhost:4318"),
            Outcome::Pass(_)
        ));
        assert!(matches!(
            with(Some("/.dockerenv exists"), "http://otel-collector:4318"),
            Outcome::Pass(_)
        ));
    }

    #[test]
    fn the_default_endpoint_is_named_as_the_default() {
        let mut ctx = context(Sdk::Spec, &[]);
        ctx.live.host.container = Some("/.dockerenv exists".into());
        let Outcome::Findings(f) = run_in(&super::CHECK, &ctx) else {
            panic!()
        };
        assert!(
            f[0].message.starts_with(
                "OTEL_EXPORTER_OTLP_ENDPOINT is unset: the SDK sends to its default http://localhost:4318, but this runs in a container"
            ),
            "{}",
            f[0].message
        );
        assert!(
            f[0].fix.starts_with("Point OTEL_EXPORTER_OTLP_ENDPOINT at"),
            "{}",
            f[0].fix
        );
    }

    #[test]
    fn loopback_in_a_pod_is_reported() {
        let Outcome::Findings(f) = with(
            Some("KUBERNETES_SERVICE_HOST is set (a Kubernetes pod)"),
            "http://127.0.0.1:4318",
        ) else {
            panic!()
        };
        assert!(f[0].fix.contains(".svc"));
    }
}
