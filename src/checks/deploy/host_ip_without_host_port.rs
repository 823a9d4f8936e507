use super::app;
use super::target::{Host, endpoints, resolve};
use crate::checks::{Check, Context, Run};
use crate::deploy::Role;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP005",
    name: "node-endpoint-without-host-port",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "An endpoint on the node's address reaches a collector with a hostPort there",
    explanation: Explanation {
        checks: "For each app endpoint built from `status.hostIP` (or `spec.nodeName`), e.g. \
                 `http://$(HOST_IP):4317`, whether a collector or agent container of the input \
                 publishes that port on the node: `hostPort` with the same number and transport, or \
                 `hostNetwork: true`.",
        why: "The node-local collector pattern only works when the collector DaemonSet binds the \
              port on the node. Without `hostPort` (or host networking) the node's address refuses \
              the connection and every span is lost (opentelemetry-collector #5370).",
        fix: "Add `hostPort: <port>` to the collector DaemonSet's container port (or run it with \
              `hostNetwork: true`), or point the app at the collector's Service instead.",
        example: "env:\n  - name: HOST_IP\n    valueFrom: {fieldRef: {fieldPath: status.hostIP}}\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: http://$(HOST_IP):4317",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (scope, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let infra = || scope.shared.infra();
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for e in endpoints(ctx, w) {
        let Host::Placeholder(field) = resolve(scope, w, &e.host) else {
            continue;
        };
        if field == "status.podIP" {
            continue;
        }
        let published = infra().find(|o| {
            (o.network.host && o.role == Role::Collector)
                || o.ports
                    .iter()
                    .any(|p| p.host_port == Some(e.port) && p.transport == e.transport)
        });
        if let Some(o) = published {
            evidence.push(e.var.clone(), format!("node port {} of {}", e.port, o.id));
            continue;
        }
        let unpublished = infra().find_map(|o| {
            o.ports
                .iter()
                .find(|p| p.container_port == e.port && p.transport == e.transport)
                .map(|p| (o, p))
        });
        let fix = match unpublished {
            Some((o, p)) => format!(
                "At {}, add `hostPort: {}` to {}'s port {} (or run it with hostNetwork: true).",
                p.source, e.port, o.id, p.container_port
            ),
            None => format!(
                "Run a collector DaemonSet with `hostPort: {}`{}, or point {} at the collector's Service.",
                e.port,
                if e.transport == crate::deploy::Transport::Udp {
                    " and protocol: UDP"
                } else {
                    ""
                },
                e.var
            ),
        };
        let mut draft = Draft::new(
            e.var.clone(),
            format!(
                "{} sends to port {} on the node's address ({field} through $(…)), but no \
                 collector or agent in the input publishes {}/{} on the node (hostPort or \
                 hostNetwork): the connection is refused on every node.",
                e.var,
                e.port,
                e.port,
                e.transport.as_str()
            ),
            fix,
        )
        .evidence("field", field);
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

    fn node_local(extra: &str) -> String {
        demo(
            &("            - name: HOST_IP\n              valueFrom:\n                fieldRef:\n                  fieldPath: status.hostIP\n".to_string()
                + &item("OTEL_EXPORTER_OTLP_ENDPOINT", "http://$(HOST_IP):4317")),
        )
        .replace(
            "            - name: otlp-grpc\n              containerPort: 4317\n",
            &format!("            - name: otlp-grpc\n              containerPort: 4317\n{extra}"),
        )
    }

    #[test]
    fn passes_when_the_collector_publishes_a_host_port() {
        let m = node_local("              hostPort: 4317\n");
        assert!(passes(&CHECK, &m, Some("checkout/app")));
    }

    #[test]
    fn flags_a_collector_port_without_host_port_and_says_where_to_add_it() {
        let f = findings(&CHECK, &node_local(""), Some("checkout/app"));
        assert!(f[0].message.contains("status.hostIP"), "{}", f[0].message);
        assert!(
            f[0].fix.starts_with("At m.yaml:55, add `hostPort: 4317`"),
            "{}",
            f[0].fix
        );
    }
}
