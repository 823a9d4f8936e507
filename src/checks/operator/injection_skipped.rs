use super::report;
use crate::checks::{Check, Context, Run};
use crate::deploy::InjectionIssue;
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR006",
    name: "injection-skipped",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "The webhook can inject every container it is asked to",
    explanation: Explanation {
        checks: "For each container the webhook would instrument, whether it would skip it: \
                 `JAVA_TOOL_OPTIONS` (Java), `NODE_OPTIONS` (Node.js), `PYTHONPATH` (Python) or the \
                 .NET startup variables set through `valueFrom`, `OTEL_DOTNET_AUTO_HOME` already \
                 set, a container-names value with spaces or a repeated name, several languages \
                 without container names, and Go without `OTEL_GO_AUTO_TARGET_EXE` or with \
                 several containers.",
        why: "The webhook must rewrite these variables to load the agent and cannot rewrite a \
              reference; it then skips the container (or the whole pod) and only logs it, so the \
              app runs without its agent.",
        fix: "Give the variable a literal `value:` (the webhook appends the agent to it), list \
              container names as `a,b` without spaces, and name the Go executable with the \
              `instrumentation.opentelemetry.io/otel-go-auto-target-exe` annotation.",
        example: "- name: JAVA_TOOL_OPTIONS\n  valueFrom:\n    configMapKeyRef: {name: jvm, key: opts}",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    report(ctx, InjectionIssue::Skipped)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::operator::testing::{WORKING, inject, manifest};

    #[test]
    fn passes_with_a_literal_java_tool_options() {
        let env = "            - name: JAVA_TOOL_OPTIONS\n              value: -Xmx512m\n";
        assert!(passes(
            &CHECK,
            &manifest(WORKING, &inject("java", "true"), env),
            None
        ));
    }

    #[test]
    fn flags_java_tool_options_from_value_from() {
        let env = "            - name: JAVA_TOOL_OPTIONS\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.annotations['jvm']\n";
        let f = findings(
            &CHECK,
            &manifest(WORKING, &inject("java", "true"), env),
            None,
        );
        assert!(
            f[0].message.contains("JAVA_TOOL_OPTIONS comes from"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_ref().unwrap().line, 52, "{f:?}");
    }

    #[test]
    fn flags_container_names_with_spaces_and_go_without_its_executable() {
        let ann = inject("python", "true")
            + "        instrumentation.opentelemetry.io/container-names: \"app, side\"\n";
        let f = findings(&CHECK, &manifest(WORKING, &ann, ""), None);
        assert!(f[0].message.contains("no spaces"), "{}", f[0].message);
        let f = findings(&CHECK, &manifest(WORKING, &inject("go", "true"), ""), None);
        assert!(
            f[0].message.contains("OTEL_GO_AUTO_TARGET_EXE"),
            "{}",
            f[0].message
        );
    }
}
