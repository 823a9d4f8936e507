use super::target::{Host, endpoints, resolve};
use super::{app, target};
use crate::checks::{Check, Context, Run};
use crate::deploy::{Platform, Role};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP003",
    name: "service-port-not-exposed",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "The Service an endpoint names exposes that port, over that transport",
    explanation: Explanation {
        checks: "For each app endpoint that names a Service (or Compose service) of the input, \
                 whether the Service lists the endpoint's port, and with the transport the \
                 exporter uses (TCP for OTLP and Jaeger HTTP, UDP for the Jaeger agent).",
        why: "A Service forwards only the ports it lists: a connection to any other port is \
              refused or times out. A Jaeger agent port exposed as TCP (the default `protocol`) \
              drops every UDP span silently.",
        fix: "Point the endpoint at a port the Service exposes, or add the port (with \
              `protocol: UDP` for the agent) to the Service.",
        example: "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector.observability.svc:4319\n# the Service lists 4317 and 4318",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

/// Whether an undeclared port of Compose service `s` deserves a warning: not when the service is
/// a collector, agent or backend (judged on its receivers by DEP011), nor when the port is one it
/// publishes on the host (DEP014 says what to use instead).
fn compose_undeclared(shared: &super::Shared, s: &crate::deploy::Service, port: u16) -> bool {
    let backends = target::backends(shared, s);
    let infrastructure = backends.iter().any(|w| w.role != Role::App);
    let published = backends
        .iter()
        .flat_map(|w| &w.ports)
        .any(|p| p.host_port == Some(port) && p.container_port != port);
    !infrastructure && !published
}

fn run(ctx: &Context) -> Outcome {
    let (scope, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for e in endpoints(ctx, w).into_iter().filter(|e| e.explicit) {
        let Host::Service(s) = resolve(scope, w, &e.host) else {
            continue;
        };
        let listed: Vec<String> = s
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.port, p.transport.as_str()))
            .collect();
        let same_port = s.ports.iter().find(|p| p.port == e.port);
        // Compose services reach each other on every port the container listens on, over
        // any transport: `ports` and `expose` only publish or document them.
        let compose = s.platform == Platform::Compose;
        let (message, fix, at) = match same_port {
            Some(p) if p.transport == e.transport || compose => {
                evidence.push(e.var.clone(), format!("{}:{}", s.name, e.port));
                continue;
            }
            None if compose => {
                if !compose_undeclared(&scope.shared, s, e.port) {
                    evidence.push(
                        e.var.clone(),
                        format!("{}:{} (not declared)", s.name, e.port),
                    );
                    continue;
                }
                drafts.push(
                    Draft::new(
                        e.var.clone(),
                        format!(
                            "{} points at port {} of service {}, which neither publishes nor exposes it; Compose does not require that, so this works only if the container listens on {}.",
                            e.var, e.port, s.name, e.port
                        ),
                        format!(
                            "Check that {} listens on {}, and add `expose: [\"{}\"]` at {} to say so.",
                            s.name, e.port, e.port, s.source
                        ),
                    )
                    .severity(Severity::Warning)
                    .evidence("service", s.name.clone())
                    .evidence("ports", listed.join(","))
                    .at(e.at.clone().unwrap_or_else(|| s.source.clone())),
                );
                continue;
            }
            Some(p) => (
                format!(
                    "{} sends {} to {}:{}, but Service {} exposes port {} as {}.",
                    e.var,
                    e.transport.as_str(),
                    e.host,
                    e.port,
                    s.name,
                    p.port,
                    p.transport.as_str()
                ),
                format!(
                    "At {}, set `protocol: {}` on the Service's port {} (or add a second port entry for it).",
                    p.source,
                    e.transport.as_str(),
                    p.port
                ),
                e.at.clone().unwrap_or_else(|| p.source.clone()),
            ),
            None => (
                format!(
                    "{} points at port {} of Service {}, which exposes only {}.",
                    e.var,
                    e.port,
                    s.name,
                    if listed.is_empty() {
                        "no port".to_string()
                    } else {
                        listed.join(", ")
                    }
                ),
                match &e.at {
                    Some(at) => format!(
                        "At {at}, use a port the Service exposes ({}), or add port {} to the Service at {}.",
                        listed.join(", "),
                        e.port,
                        s.source
                    ),
                    None => format!("Add port {} to the Service at {}.", e.port, s.source),
                },
                e.at.clone().unwrap_or_else(|| s.source.clone()),
            ),
        };
        drafts.push(
            Draft::new(e.var.clone(), message, fix)
                .evidence("service", format!("{}/{}", s.namespace, s.name))
                .evidence("ports", listed.join(","))
                .at(at),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, item, passes};

    #[test]
    fn passes_when_the_service_lists_the_port() {
        let m = demo(&item(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://otel-collector.observability:4318",
        ));
        assert!(passes(&CHECK, &m, Some("checkout/app")));
    }

    #[test]
    fn flags_a_port_the_service_does_not_list() {
        let m = demo(&item(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://otel-collector.observability:4319",
        ));
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert!(
            f[0].message.contains("exposes only 4317/TCP, 4318/TCP"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn flags_an_agent_port_exposed_as_tcp() {
        let m = demo(
            &(item("JAEGER_AGENT_HOST", "otel-collector.observability")
                + &item("JAEGER_AGENT_PORT", "\"4317\"")),
        );
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert!(
            f[0].message.contains("exposes port 4317 as TCP"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.contains("protocol: UDP"), "{}", f[0].fix);
    }
}
