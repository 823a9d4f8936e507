use super::report;
use crate::checks::{Check, Context, Run};
use crate::deploy::InjectionIssue;
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR001",
    name: "inject-annotation-on-object",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "Operator injection annotations are on the pod template, not the workload object",
    explanation: Explanation {
        checks: "Whether an `instrumentation.opentelemetry.io/inject-*` or \
                 `sidecar.opentelemetry.io/inject` annotation sits on a Deployment's (StatefulSet's, \
                 DaemonSet's, Job's…) own metadata while its pod template lacks it.",
        why: "The operator's webhook admits pods: it reads the pod's annotations and its \
              namespace's, never the Deployment's. An annotation in the wrong metadata block \
              injects nothing, and nothing says so.",
        fix: "Move the annotation to `spec.template.metadata.annotations`.",
        example: "kind: Deployment\nmetadata:\n  annotations:\n    instrumentation.opentelemetry.io/inject-java: \"true\"   # ignored",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    report(ctx, InjectionIssue::AnnotationOnObject)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::operator::testing::{WORKING, inject, manifest};

    #[test]
    fn passes_on_the_pod_template() {
        let m = manifest(WORKING, &inject("java", "true"), "");
        assert!(passes(&CHECK, &m, None));
    }

    #[test]
    fn flags_the_deployment_metadata() {
        let m = manifest(WORKING, "        a: b\n", "").replace(
            "  name: checkout\n  namespace: shop\n",
            "  name: checkout\n  namespace: shop\n  annotations:\n    instrumentation.opentelemetry.io/inject-java: \"true\"\n",
        );
        let f = findings(&CHECK, &m, None);
        assert_eq!(f[0].location.as_ref().unwrap().line, 40, "{f:?}");
        assert!(f[0].fix.contains("spec.template.metadata.annotations"));
    }
}
