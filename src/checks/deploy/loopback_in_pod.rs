use super::app;
use super::target::{Host, endpoints, resolve};
use crate::checks::{Check, Context, Run};
use crate::deploy::{Role, Workload};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::is_tracing_var;

pub static CHECK: Check = Check {
    id: "DEP004",
    name: "loopback-endpoint-in-pod",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "No app endpoint points at localhost unless a collector shares its pod",
    explanation: Explanation {
        checks: "For each app container, whether its OTLP endpoint or Jaeger agent host is \
                 `localhost` (or 127.0.0.0/8, ::1) while no collector or agent container shares its \
                 network (the same pod, `network_mode: service:…`, or both on the host network). An \
                 explicit loopback endpoint is an error; a container that sets OTEL_* variables but \
                 leaves the endpoint at its `localhost` default gets a warning, since it may set the \
                 endpoint in code or in its own config file.",
        why: "Inside a pod or container, `localhost` is that pod itself. Unless a sidecar collector \
              runs next to the app, nothing listens there and every span is dropped; the same \
              setting works on a laptop, which is why it slips through.",
        fix: "Point the endpoint at the collector's Service (e.g. \
              `http://otel-collector.observability.svc:4318`), at the node's agent through \
              `status.hostIP`, or add a collector sidecar to the pod.",
        example: "env:\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: http://localhost:4317",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (scope, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let neighbour =
        (scope.shared.network(w).into_iter()).find(|o| o.id != w.id && o.role != Role::App);
    let mut evidence = Evidence::new();
    if let Some(n) = neighbour {
        evidence.push("shares network with", n.id.clone());
    }
    let mut drafts = Vec::new();
    for e in endpoints(ctx, w) {
        if !matches!(resolve(scope, w, &e.host), Host::Loopback) || neighbour.is_some() {
            continue;
        }
        let place = where_(w);
        let draft = if e.explicit {
            Draft::new(
                e.var.clone(),
                format!(
                    "{} is {}:{}, but the {place} has no collector next to it: localhost is the {place} itself.",
                    e.var, e.host, e.port
                ),
                format!(
                    "{}point {} at the collector's Service (e.g. http://otel-collector.<namespace>.svc:{}) or add a collector sidecar.",
                    e.at.as_ref()
                        .map(|a| format!("At {a}, "))
                        .unwrap_or_default(),
                    e.var,
                    e.port
                ),
            )
        } else {
            if !w.env.iter().any(|v| is_tracing_var(&v.name)) {
                continue;
            }
            Draft::new(
                e.var.clone(),
                format!(
                    "This container sets OTEL_* variables but not {}, so the SDK's default {}:{} \
                     applies, and localhost is the {place} itself. It may set the endpoint in code \
                     or in its own config file, which tracectl cannot see.",
                    e.var, e.host, e.port
                ),
                format!(
                    "If the app does not set its endpoint elsewhere, add {} with the collector's Service to the container's env at {}.",
                    e.var, w.source
                ),
            )
            .severity(Severity::Warning)
        };
        drafts.push(
            draft
                .evidence("host", e.host.clone())
                .at(e.at.clone().unwrap_or_else(|| w.source.clone())),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

fn where_(w: &Workload) -> &'static str {
    match w.platform {
        crate::deploy::Platform::Kubernetes => "pod",
        crate::deploy::Platform::Compose => "container",
    }
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, item, passes};
    use crate::rule::Severity;

    #[test]
    fn flags_an_explicit_localhost_as_an_error() {
        let m = demo(&item(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://localhost:4317",
        ));
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert_eq!(f[0].severity, None);
        assert!(
            f[0].message.contains("localhost is the pod itself"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_default_endpoint_is_only_a_warning() {
        let f = findings(&CHECK, &demo(""), Some("checkout/app"));
        assert_eq!(f[0].severity, Some(Severity::Warning));
        assert!(f[0].message.contains("may set the endpoint in code"));
    }

    #[test]
    fn passes_with_a_collector_sidecar_in_the_pod() {
        let m = demo(&item(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://localhost:4317",
        )) + "        - name: sidecar\n          image: otel/opentelemetry-collector:0.111.0\n";
        assert!(passes(&CHECK, &m, Some("checkout/app")));
    }
}
