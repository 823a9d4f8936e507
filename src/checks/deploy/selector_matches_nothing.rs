use super::deployment;
use super::target::backends;
use crate::checks::{Check, Context, Run};
use crate::deploy::{Backing, Platform, TargetPort};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP009",
    name: "service-selects-nothing",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "Each Service selects pods of the input, and their containers declare its target ports",
    explanation: Explanation {
        checks: "For each Service with a selector, in a namespace that has workloads in the input: \
                 whether its selector matches any pod template's labels (a warning, as the pods may \
                 come from elsewhere), and whether every named `targetPort` is a port name that a \
                 selected container declares (an error).",
        why: "A Service whose selector matches no pod has no endpoints: connections to it are \
              refused, and the SDK drops the spans. A named target port that no container \
              declares leaves the Service without that port's endpoints.",
        fix: "Make the selector match the pod template's labels (`spec.template.metadata.labels`), \
              and name the container port as the Service's `targetPort` says (or use the number).",
        example: "selector:\n  app: otel-collector     # pods are labelled app: opentelemetry-collector",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let scope = match deployment(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let d = scope.deployment();
    let mut drafts = Vec::new();
    let mut checked = 0;
    for s in d
        .services
        .iter()
        .filter(|s| s.platform == Platform::Kubernetes)
    {
        let Backing::Selector(selector) = &s.backing else {
            continue;
        };
        if scope.shared.workloads_in(&s.namespace).next().is_none() {
            continue;
        }
        checked += 1;
        let selected = backends(&scope.shared, s);
        let wanted: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if selected.is_empty() {
            drafts.push(
                Draft::new(
                    format!("Service {}/{}", s.namespace, s.name),
                    format!(
                        "Service {} selects {}, which no pod template of the input in namespace {} has: unless those pods come from elsewhere, it has no endpoints.",
                        s.name,
                        wanted.join(","),
                        s.namespace
                    ),
                    format!("At {}, make the selector match the pod template's labels.", s.source),
                )
                .evidence("selector", wanted.join(","))
                .severity(Severity::Warning)
                .at(s.source.clone()),
            );
            continue;
        }
        for p in &s.ports {
            let TargetPort::Name(name) = &p.target else {
                continue;
            };
            let declared = selected
                .iter()
                .any(|w| w.ports.iter().any(|cp| cp.name.as_deref() == Some(name)));
            if declared {
                continue;
            }
            let names: Vec<String> = selected
                .iter()
                .flat_map(|w| w.ports.iter().filter_map(|cp| cp.name.clone()))
                .collect();
            drafts.push(
                Draft::new(
                    format!("Service {}/{}", s.namespace, s.name),
                    format!(
                        "Port {} of Service {} targets the container port named `{name}`, which no selected container declares ({}).",
                        p.port,
                        s.name,
                        if names.is_empty() { "they name no port".to_string() } else { format!("named: {}", names.join(", ")) }
                    ),
                    format!("At {}, use a declared port name or the port number.", p.source),
                )
                .evidence("target port", name.clone())
                .at(p.source.clone()),
            );
        }
    }
    Outcome::from_drafts(drafts, Evidence::new().with("services", checked))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, passes};
    use crate::rule::Severity;

    #[test]
    fn passes_for_the_demo() {
        assert!(passes(&CHECK, &demo(""), None));
    }

    #[test]
    fn flags_a_selector_matching_nothing_and_an_undeclared_port_name() {
        let m = demo("").replacen("    app: otel-collector\n", "    app: otel\n", 1);
        let f = findings(&CHECK, &m, None);
        assert_eq!(f[0].severity, Some(Severity::Warning));
        assert!(
            f[0].message.contains("selects app=otel"),
            "{}",
            f[0].message
        );
        let m = demo("").replace("      targetPort: otlp-grpc\n", "      targetPort: grpc\n");
        let f = findings(&CHECK, &m, None);
        assert_eq!(f[0].severity, None);
        assert!(f[0].message.contains("`grpc`"), "{}", f[0].message);
    }
}
