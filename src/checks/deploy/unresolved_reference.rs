use super::workload;
use crate::checks::{Check, Context, Run};
use crate::deploy::EnvValue;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::is_tracing_var;

pub static CHECK: Check = Check {
    id: "DEP007",
    name: "unresolved-variable-reference",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "Every $(VAR) in a tracing value refers to a variable defined before it",
    explanation: Explanation {
        checks: "Whether an OTEL_* or JAEGER_* value still contains `$(NAME)` after the kubelet's \
                 expansion: NAME is defined only later in the `env` list, or not at all.",
        why: "Kubernetes expands `$(NAME)` only from variables defined earlier in the list (or by \
              `envFrom`); otherwise the text stays as written, so the SDK gets \
              `http://$(HOST_IP):4317`, which is not a usable URL.",
        fix: "Move the referenced variable's entry above the one that uses it, or define it.",
        example: "env:\n  - name: OTEL_EXPORTER_OTLP_ENDPOINT\n    value: http://$(HOST_IP):4317\n  - name: HOST_IP   # defined too late\n    valueFrom: {fieldRef: {fieldPath: status.hostIP}}",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (_, w) = match workload(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut drafts = Vec::new();
    for v in w.env.iter().filter(|v| is_tracing_var(&v.name)) {
        let EnvValue::Literal(text) = &v.value else {
            continue;
        };
        for name in references(text) {
            let defined = w.var(name);
            if defined.is_some_and(|d| matches!(d.value, EnvValue::Unresolved(_))) {
                continue;
            }
            let (message, fix) = match defined {
                Some(d) => (
                    format!(
                        "{} uses $({name}), but {name} is defined after it (at {}), so the kubelet \
                         leaves `$({name})` in the value.",
                        v.name, d.source
                    ),
                    format!(
                        "Move the {name} entry ({}) above {} ({}).",
                        d.source, v.name, v.source
                    ),
                ),
                None => (
                    format!(
                        "{} uses $({name}), but the container defines no {name}: the value keeps \
                         `$({name})` as written.",
                        v.name
                    ),
                    format!(
                        "Define {name} before {} at {}, or write the value out.",
                        v.name, v.source
                    ),
                ),
            };
            drafts.push(
                Draft::new(v.name.clone(), message, fix)
                    .evidence("reference", format!("$({name})"))
                    .at(v.source.clone()),
            );
        }
    }
    Outcome::from_drafts(drafts, Evidence::new())
}

/// The `$(NAME)` references left in a value.
fn references(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("$(") {
        let after = &rest[i + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
                {
                    found.push(name);
                }
                rest = &after[end..];
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, item, passes};

    const HOST_IP: &str = "            - name: HOST_IP\n              valueFrom:\n                fieldRef:\n                  fieldPath: status.hostIP\n";

    #[test]
    fn passes_when_the_reference_comes_first() {
        let m = demo(
            &(HOST_IP.to_string() + &item("OTEL_EXPORTER_OTLP_ENDPOINT", "http://$(HOST_IP):4317")),
        );
        assert!(passes(&CHECK, &m, Some("checkout/app")));
    }

    #[test]
    fn flags_a_reference_defined_too_late_or_not_at_all() {
        let m = demo(&(item("OTEL_EXPORTER_OTLP_ENDPOINT", "http://$(HOST_IP):4317") + HOST_IP));
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert!(
            f[0].message.contains("defined after it"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].fix.starts_with("Move the HOST_IP entry (m.yaml:90)"),
            "{}",
            f[0].fix
        );
        let m = demo(&item("OTEL_RESOURCE_ATTRIBUTES", "k8s.node.name=$(NODE)"));
        let f = findings(&CHECK, &m, Some("checkout/app"));
        assert!(f[0].message.contains("defines no NODE"), "{}", f[0].message);
    }
}
