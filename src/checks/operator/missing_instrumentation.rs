use super::report;
use crate::checks::{Check, Context, Run};
use crate::deploy::InjectionIssue;
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR003",
    name: "named-instrumentation-missing",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "The Instrumentation an inject annotation names is in the input",
    explanation: Explanation {
        checks: "For each effective `inject-<lang>` value that names an Instrumentation (`name` in \
                 the pod's namespace, or `namespace/name`), whether the input defines it.",
        why: "The webhook looks the name up when the pod is created; when it is not there the \
              lookup fails and the pod starts without instrumentation. A typo or a wrong \
              namespace goes unnoticed until traces are missing.",
        fix: "Correct the name (with its namespace when it lives elsewhere), or create the \
              Instrumentation.",
        example: "instrumentation.opentelemetry.io/inject-java: \"observability/jav\"",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    report(ctx, InjectionIssue::MissingInstrumentation)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::operator::testing::{WORKING, inject, manifest};

    #[test]
    fn passes_for_names_that_exist() {
        assert!(passes(
            &CHECK,
            &manifest(WORKING, &inject("java", "inst"), ""),
            None
        ));
        assert!(passes(
            &CHECK,
            &manifest(WORKING, &inject("java", "shop/inst"), ""),
            None
        ));
    }

    #[test]
    fn flags_a_wrong_name_with_what_exists() {
        let f = findings(
            &CHECK,
            &manifest(WORKING, &inject("java", "isnt"), ""),
            None,
        );
        assert!(f[0].message.contains("shop/isnt"), "{}", f[0].message);
        assert!(
            f[0].fix.contains("namespace shop has: inst"),
            "{}",
            f[0].fix
        );
    }
}
