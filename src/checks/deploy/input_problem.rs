use super::deployment;
use crate::checks::{Check, Context, Run};
use crate::deploy::ProblemKind;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "DEP001",
    name: "deployment-input-problem",
    family: Family::Deployment,
    severity: Severity::Warning,
    title: "The deployment files read cleanly and every referenced source is in them",
    explanation: Explanation {
        checks: "Whether every document of the deployment files parses, and whether each `envFrom` \
                 ConfigMap or Secret and each `configMapKeyRef` / `secretKeyRef` that is not \
                 `optional: true` is in the input.",
        why: "A document that does not parse is not checked at all. A required ConfigMap or Secret \
              that does not exist keeps the pod from starting (CreateContainerConfigError); when it \
              exists but is created some other way, tracectl cannot see the values it sets.",
        fix: "Fix the YAML at the line shown; add the ConfigMap or Secret to the manifests (or mark \
              the reference `optional: true`), or pass the file that defines it with another --k8s.",
        example: "envFrom:\n  - configMapRef:\n      name: otel-env   # no ConfigMap otel-env in the input",
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
    let drafts = d
        .problems
        .iter()
        .filter_map(|p| {
            let (subject, fix) = match p.kind {
                ProblemKind::Unreadable => (
                    p.location.file.to_string(),
                    format!("Fix the document at {}.", p.location),
                ),
                ProblemKind::MissingSource => (
                    p.workload.clone().unwrap_or_default(),
                    format!(
                        "Add it to the manifests, pass the file that defines it with --k8s, or mark the reference at {} `optional: true`.",
                        p.location
                    ),
                ),
                ProblemKind::Malformed => (
                    p.workload.clone().unwrap_or_default(),
                    format!("Fix the object at {}.", p.location),
                ),
                // Reported by DEP013 (compose-unset-variable), which knows the value it lands in.
                ProblemKind::UnsetVariable => return None,
            };
            let draft = Draft::new(subject, p.message.clone(), fix)
                .evidence("at", p.location.to_string())
                .at(p.location.clone());
            Some(match p.kind {
                ProblemKind::Unreadable => draft.severity(Severity::Error),
                _ => draft,
            })
        })
        .collect();
    Outcome::from_drafts(drafts, Evidence::new().with("workloads", d.workloads.len()))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, item, passes};
    use crate::rule::Severity;

    #[test]
    fn passes_when_every_source_is_there() {
        assert!(passes(&CHECK, &demo(&item("A", "b")), None));
    }

    #[test]
    fn flags_a_missing_configmap_and_a_broken_document() {
        let manifest = demo(
            "          envFrom:\n            - configMapRef:\n                name: otel-env\n",
        ) + "---\nkind: [\n";
        let f = findings(&CHECK, &manifest, None);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(f[0].severity, Some(Severity::Error));
        assert!(f[0].message.contains("not valid YAML"), "{}", f[0].message);
        assert!(
            f[1].message.contains("ConfigMap `otel-env`"),
            "{}",
            f[1].message
        );
        assert_eq!(f[1].location.as_ref().unwrap().line, 89);
    }
}
