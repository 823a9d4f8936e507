use super::app;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP008",
    name: "service-name-from-missing-label",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "A service name taken from a pod label or annotation finds it",
    explanation: Explanation {
        checks: "Whether OTEL_SERVICE_NAME (or another OTEL_* variable) comes from a `fieldRef` to \
                 `metadata.labels['k']` or `metadata.annotations['k']` that the pod template does \
                 not have.",
        why: "The kubelet gives a missing label an empty value without complaint: the SDK then \
              reports `unknown_service`, and every workload built from the same template merges \
              into one service in the backend.",
        fix: "Add the label to the pod template (`spec.template.metadata.labels`, not the \
              Deployment's own metadata), or reference a label that is there.",
        example: "- name: OTEL_SERVICE_NAME\n  valueFrom:\n    fieldRef:\n      fieldPath: metadata.labels['app.kubernetes.io/name']",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (_, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut evidence = Evidence::new();
    let mut drafts = Vec::new();
    for v in w.env.iter().filter(|v| v.name.starts_with("OTEL_")) {
        for (prefix, list, what) in [
            ("fieldRef metadata.labels['", &w.labels, "label"),
            (
                "fieldRef metadata.annotations['",
                &w.annotations,
                "annotation",
            ),
        ] {
            let Some(key) = v
                .origin
                .strip_prefix(prefix)
                .and_then(|k| k.strip_suffix("']"))
            else {
                continue;
            };
            if list.iter().any(|(k, _)| k == key) {
                evidence.push(v.name.clone(), format!("{what} {key}"));
                continue;
            }
            let have: Vec<&str> = list.iter().map(|(k, _)| k.as_str()).collect();
            drafts.push(
                Draft::new(
                    v.name.clone(),
                    format!(
                        "{} comes from the pod {what} `{key}`, which the pod template does not have: \
                         the value is empty.",
                        v.name
                    ),
                    format!(
                        "Add `{key}` to the pod template's {what}s, or at {} reference one it has ({}).",
                        v.source,
                        if have.is_empty() { "none".to_string() } else { have.join(", ") }
                    ),
                )
                .evidence(format!("{what}s"), have.join(","))
                .at(v.source.clone()),
            );
        }
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, passes};

    fn from_label(label: &str) -> String {
        demo("").replace(
            "            - name: OTEL_SERVICE_NAME\n              value: checkout\n",
            &format!("            - name: OTEL_SERVICE_NAME\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.labels['{label}']\n"),
        )
    }

    #[test]
    fn passes_when_the_label_is_there() {
        assert!(passes(&CHECK, &from_label("app"), Some("checkout/app")));
    }

    #[test]
    fn flags_a_missing_label() {
        let f = findings(
            &CHECK,
            &from_label("app.kubernetes.io/name"),
            Some("checkout/app"),
        );
        assert!(
            f[0].message.contains("`app.kubernetes.io/name`"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.contains("(app)"), "{}", f[0].fix);
    }
}
