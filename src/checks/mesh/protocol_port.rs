use super::shown;
use crate::checks::{Check, Context, Run};
use crate::deploy::mesh::Provider;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "MSH006",
    name: "mesh-provider-protocol-port",
    family: Family::Mesh,
    severity: Severity::Error,
    title: "Each tracing provider speaks the protocol of the port it sends to",
    explanation: Explanation {
        checks: "Whether an `opentelemetry` provider sends OTLP/gRPC (no `http:` block) to 4317 and \
                 OTLP/HTTP (`http:` set) to 4318, and whether a `zipkin` provider avoids the OTLP \
                 ports and an `opentelemetry` one the Zipkin port 9411. Other ports are not \
                 judged.",
        why: "istiod exports with gRPC unless `http:` is set. gRPC to the OTLP/HTTP port (or \
              HTTP to the gRPC port, or Zipkin JSON to an OTLP port) is refused by the receiver, \
              and every span of the mesh is dropped by the proxies with no sign in the apps.",
        fix: "Use the port of the protocol the provider speaks, or switch the protocol: add \
              `http: {path: /v1/traces}` for 4318, remove it for 4317.",
        example: "- name: otel-tracing\n  opentelemetry:\n    service: otel-collector.observability.svc.cluster.local\n    port: 4318   # gRPC without http:",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

/// What provider `p` sends to its port, and the fix, when the two disagree.
fn mismatch(p: &Provider, port: u16) -> Option<(String, String)> {
    match (p.kind.as_str(), p.http, port) {
        ("opentelemetry", false, 4318) => Some((
            "OTLP/gRPC (no `http:` block) to 4318, the OTLP/HTTP port".into(),
            "use `port: 4317`, or add `http: {path: /v1/traces}` below the provider's service to send OTLP/HTTP".into(),
        )),
        ("opentelemetry", true, 4317) => Some((
            "OTLP/HTTP (`http:` is set) to 4317, the OTLP/gRPC port".into(),
            "use `port: 4318`, or remove the `http:` block to send OTLP/gRPC".into(),
        )),
        ("opentelemetry", _, 9411) => Some((
            "OTLP to 9411, the Zipkin port".into(),
            "use the collector's OTLP port (4317, or 4318 with `http:`), or define a `zipkin` provider for 9411".into(),
        )),
        ("zipkin", _, 4317 | 4318) => Some((
            format!("Zipkin JSON to {port}, an OTLP port"),
            "use the Zipkin receiver's port (9411), or define an `opentelemetry` provider for OTLP".into(),
        )),
        _ => None,
    }
}

fn run(ctx: &Context) -> Outcome {
    let (_, mesh) = match shown(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut drafts = Vec::new();
    let mut evidence = Evidence::new();
    for p in mesh.providers() {
        let Some(port) = &p.port else { continue };
        let Some((what, fix)) = mismatch(p, port.value) else {
            evidence.push(p.name.clone(), format!("{} {}", p.kind, port.value));
            continue;
        };
        drafts.push(
            Draft::new(
                p.name.clone(),
                format!(
                    "Provider `{}` sends {what}; the receiver refuses it and the proxies' spans are dropped.",
                    p.name
                ),
                format!("At {}, {fix}.", port.at),
            )
            .evidence("kind", p.kind.clone())
            .evidence("port", port.value)
            .evidence("http", p.http)
            .at(port.at.clone()),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::mesh::testing::{MESH, TELEMETRY, line_of, mesh};

    const HTTP: &str = "    http:\n      path: /v1/traces\n";

    #[test]
    fn passes_for_grpc_to_4317_and_http_to_4318() {
        assert!(passes(&CHECK, &mesh(MESH, TELEMETRY), None));
        let http = format!("{}{HTTP}", MESH.replace("4317", "4318"));
        assert!(passes(&CHECK, &mesh(&http, TELEMETRY), None));
    }

    #[test]
    fn flags_grpc_to_4318_at_the_port_line() {
        let m = mesh(&MESH.replace("4317", "4318"), TELEMETRY);
        let f = findings(&CHECK, &m, None);
        assert!(f[0].message.contains("OTLP/gRPC"), "{}", f[0].message);
        let line = line_of(
            &m,
            "kind: ConfigMap\nmetadata:\n  name: istio",
            "port: 4318",
        );
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }

    #[test]
    fn flags_http_to_4317_and_zipkin_to_an_otlp_port() {
        let f = findings(&CHECK, &mesh(&format!("{MESH}{HTTP}"), TELEMETRY), None);
        assert!(
            f[0].fix.contains("remove the `http:` block"),
            "{}",
            f[0].fix
        );
        let zipkin = MESH.replace("opentelemetry:", "zipkin:");
        let f = findings(&CHECK, &mesh(&zipkin, TELEMETRY), None);
        assert!(
            f[0].message.contains("Zipkin JSON to 4317"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn flags_otlp_to_the_zipkin_port_and_passes_zipkin_there() {
        let f = findings(
            &CHECK,
            &mesh(&MESH.replace("4317", "9411"), TELEMETRY),
            None,
        );
        assert!(f[0].message.contains("the Zipkin port"), "{}", f[0].message);
        let zipkin = MESH
            .replace("opentelemetry:", "zipkin:")
            .replace("4317", "9411");
        assert!(passes(&CHECK, &mesh(&zipkin, TELEMETRY), None));
    }
}
