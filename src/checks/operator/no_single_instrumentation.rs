use super::report;
use crate::checks::{Check, Context, Run};
use crate::deploy::InjectionIssue;
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR002",
    name: "inject-true-needs-one-instrumentation",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "An inject annotation set to \"true\" finds exactly one Instrumentation in its namespace",
    explanation: Explanation {
        checks: "For each pod template whose effective `inject-<lang>` value (its own, or its \
                 namespace's) is `\"true\"`, how many Instrumentation objects the input has in the \
                 pod's namespace.",
        why: "With `\"true\"` the webhook takes the only Instrumentation of the namespace. With none, \
              or with two or more, it refuses to choose, logs an error in the operator's pod and \
              admits the pod uninstrumented.",
        fix: "Create one Instrumentation in the namespace, or name the one to use: \
              `inject-java: \"observability/java\"`.",
        example: "instrumentation.opentelemetry.io/inject-python: \"true\"   # namespace has 2 Instrumentations",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    report(ctx, InjectionIssue::NoSingleInstrumentation)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::operator::testing::{WORKING, inject, manifest};

    #[test]
    fn passes_with_one() {
        assert!(passes(
            &CHECK,
            &manifest(WORKING, &inject("python", "true"), ""),
            None
        ));
    }

    #[test]
    fn flags_none_and_two() {
        let m = manifest(WORKING, &inject("python", "true"), "").replace(
            "namespace: shop\nspec:\n  exporter",
            "namespace: other\nspec:\n  exporter",
        );
        let f = findings(&CHECK, &m, None);
        assert!(f[0].message.contains("has none there"), "{}", f[0].message);
        let two = format!(
            "{}---\napiVersion: opentelemetry.io/v1alpha1\nkind: Instrumentation\nmetadata:\n  name: second\n  namespace: shop\n",
            manifest(WORKING, &inject("python", "true"), "")
        );
        let f = findings(&CHECK, &two, None);
        assert!(
            f[0].message.contains("has 2 there (inst, second)"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_ref().unwrap().line, 43);
    }
}
