use super::app;
use super::target::{Host, backends, endpoints, resolve};
use crate::checks::{Check, Context, Run};
use crate::deploy::Platform;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP014",
    name: "compose-host-port-between-containers",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "Containers reach each other on the container port, not the published host port",
    explanation: Explanation {
        checks: "For each app endpoint that names a Compose service (by service name, \
                 `container_name`, `hostname` or network alias), whether its port is one that \
                 service publishes on the host for a different container port (`14317:4317`).",
        why: "`ports` maps a host port to a container port for clients outside Docker. Between \
              containers, the service name resolves to the container itself, where only the \
              container port listens: `collector:14317` is refused or times out, while the same \
              address works from the host as `localhost:14317`.",
        fix: "Use the container port (the right-hand side of `HOST:CONTAINER`) in the endpoint.",
        example: "collector:\n  ports: [\"14317:4317\"]\napp:\n  environment:\n    OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:14317",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (scope, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    if w.platform != Platform::Compose {
        return Outcome::skip("Compose services only");
    }
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for e in endpoints(ctx, w).into_iter().filter(|e| e.explicit) {
        let Host::Service(s) = resolve(scope, w, &e.host) else {
            continue;
        };
        if s.ports.iter().any(|p| p.port == e.port) {
            evidence.push(e.var.clone(), format!("{}:{}", s.name, e.port));
            continue;
        }
        let mapping = backends(&scope.shared, s)
            .into_iter()
            .flat_map(|b| &b.ports)
            .find(|p| p.host_port == Some(e.port) && p.container_port != e.port);
        let Some(p) = mapping else {
            continue;
        };
        let at = e.at.clone().unwrap_or_else(|| w.source.clone());
        drafts.push(
            Draft::new(
                e.var.clone(),
                format!(
                    "{} sends to {}:{}, but {} is the host port service {} publishes for container port {}; inside the Compose network only {} listens.",
                    e.var, e.host, e.port, e.port, s.name, p.container_port, p.container_port
                ),
                format!(
                    "At {at}, use {}:{} (the mapping is at {}).",
                    e.host, p.container_port, p.source
                ),
            )
            .evidence("mapping", format!("{}:{}", e.port, p.container_port))
            .evidence("mapping.at", p.source.to_string())
            .at(at),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::compose_testing::{compose, findings, passes};

    fn project(endpoint: &str) -> String {
        format!(
            "services:\n  collector:\n    image: otel/opentelemetry-collector:0.120.0\n    ports:\n      - \"14317:4317\"\n      - \"4318:4318\"\n  shop:\n    image: shop:1\n    environment:\n      OTEL_SERVICE_NAME: shop\n      OTEL_EXPORTER_OTLP_PROTOCOL: grpc\n      OTEL_EXPORTER_OTLP_ENDPOINT: {endpoint}\n"
        )
    }

    #[test]
    fn passes_on_the_container_port() {
        assert!(passes(
            &CHECK,
            &compose(&project("http://collector:4317")),
            Some("shop")
        ));
        assert!(passes(
            &CHECK,
            &compose(&project("http://collector:4318")),
            Some("shop")
        ));
    }

    #[test]
    fn flags_the_published_host_port_at_the_variable() {
        let f = findings(
            &CHECK,
            &compose(&project("http://collector:14317")),
            Some("shop"),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.as_ref().unwrap().line, 12);
        assert!(f[0].fix.contains("use collector:4317"), "{}", f[0].fix);
        assert!(f[0].fix.contains("compose.yaml:5"), "{}", f[0].fix);
    }
}
