use super::app;
use super::target::{Host, endpoints, resolve};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP002",
    name: "endpoint-not-a-service",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "Each endpoint host is a Service of the deployment",
    explanation: Explanation {
        checks: "For each app container, whether the host of its OTLP endpoint, Jaeger agent or \
                 Jaeger endpoint names a Service in the input in one of its DNS forms (`svc` in the \
                 pod's namespace, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`) or a Compose \
                 service or alias. Names outside the cluster, namespaces with nothing in the input \
                 and IP addresses are not judged.",
        why: "A bare Service name resolves only in the caller's own namespace: `otel-collector` \
              from namespace `shop` does not reach the collector in `observability`. A typo or a \
              renamed Service fails DNS on every export, and the SDK only logs it.",
        fix: "Use the Service's name with its namespace, e.g. \
              `http://otel-collector.observability.svc:4318`, at the line shown.",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-colector:4318   # Service is otel-collector",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (scope, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for e in endpoints(ctx, w).into_iter().filter(|e| e.explicit) {
        let Host::Missing {
            elsewhere,
            suggestion,
            namespace,
        } = resolve(scope, w, &e.host)
        else {
            evidence.push(e.var.clone(), format!("{}:{}", e.host, e.port));
            continue;
        };
        let (message, better) = match (elsewhere, suggestion) {
            (Some(s), _) => (
                format!(
                    "{} names `{}`, but that Service is in namespace {}, and a bare name resolves \
                     only in the pod's own namespace ({}).",
                    e.var, e.host, s.namespace, w.namespace
                ),
                Some(format!("{}.{}.svc", s.name, s.namespace)),
            ),
            (None, Some(s)) => (
                format!(
                    "{} names `{}`, which is not a Service in namespace {namespace}; did you mean `{}`?",
                    e.var, e.host, s.name
                ),
                Some(if e.host.contains('.') {
                    format!("{}.{}.svc", s.name, s.namespace)
                } else {
                    s.name.clone()
                }),
            ),
            (None, None) => (
                format!(
                    "{} names `{}`, which is not a Service of the input (namespace {namespace}).",
                    e.var, e.host
                ),
                None,
            ),
        };
        let fix = match (&better, &e.at) {
            (Some(b), Some(at)) => format!("At {at}, replace {} with {b}.", e.host),
            (Some(b), None) => format!("Set {} with host {b}.", e.var),
            (None, _) => format!(
                "Point {} at a Service that exists, or add the Service to the manifests.",
                e.var
            ),
        };
        let mut draft = Draft::new(e.var.clone(), message, fix)
            .evidence("host", e.host.clone())
            .evidence("namespace", namespace);
        if let Some(at) = e.at {
            draft = draft.at(at);
        }
        drafts.push(draft);
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, item, passes};

    const E: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";

    #[test]
    fn passes_for_every_dns_form_and_outside_names() {
        for host in [
            "otel-collector.observability",
            "otel-collector.observability.svc",
            "otel-collector.observability.svc.cluster.local",
            "api.honeycomb.io",
            "otel-gateway.monitoring.svc",
            "10.0.0.7",
        ] {
            let m = demo(&item(E, &format!("http://{host}:4318")));
            assert!(passes(&CHECK, &m, Some("checkout/app")), "{host}");
        }
    }

    #[test]
    fn a_bare_name_from_another_namespace_is_flagged_with_its_fqdn() {
        let m = demo(&item(E, "http://otel-collector:4318"));
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert!(
            f[0].message.contains("namespace observability"),
            "{}",
            f[0].message
        );
        assert_eq!(
            f[0].fix,
            "At m.yaml:88, replace otel-collector with otel-collector.observability.svc."
        );
        assert_eq!(f[0].location.as_ref().unwrap().line, 88);
    }

    #[test]
    fn a_typo_gets_a_did_you_mean() {
        let m = demo(&item(E, "http://otel-colector.observability.svc:4318"));
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert!(
            f[0].message.contains("did you mean `otel-collector`"),
            "{}",
            f[0].message
        );
    }
}
