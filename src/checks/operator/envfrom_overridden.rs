use super::report;
use crate::checks::{Check, Context, Run};
use crate::deploy::InjectionIssue;
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR005",
    name: "envfrom-overridden-by-injection",
    family: Family::Deployment,
    severity: Severity::Warning,
    title: "No envFrom value is silently replaced by the operator's injected env",
    explanation: Explanation {
        checks: "For each container the operator instruments, whether a variable the webhook adds \
                 (from the Instrumentation or its own defaults) is also set through `envFrom` (a \
                 ConfigMap or Secret).",
        why: "The webhook only looks at the container's `env` list when deciding whether a \
              variable is already set. A value a team keeps in a ConfigMap is therefore \
              overridden by the injected `env` entry, which always beats `envFrom`.",
        fix: "Move the variable from the ConfigMap into the container's `env`, which the webhook \
              leaves alone, or change the Instrumentation's value.",
        example: "envFrom:\n  - configMapRef: {name: otel}   # OTEL_EXPORTER_OTLP_ENDPOINT here loses to spec.exporter.endpoint",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    report(ctx, InjectionIssue::EnvFromOverridden)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::operator::testing::{WORKING, inject, manifest};

    const CM: &str = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel\n  namespace: shop\ndata:\n  OTEL_EXPORTER_OTLP_ENDPOINT: http://gateway:4318\n";

    #[test]
    fn passes_when_the_container_sets_it_in_env() {
        let env = "            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: http://gateway:4318\n";
        assert!(passes(
            &CHECK,
            &manifest(WORKING, &inject("java", "true"), env),
            None
        ));
    }

    #[test]
    fn flags_a_configmap_value_the_exporter_endpoint_replaces() {
        let m = manifest(WORKING, &inject("java", "true"), "").replace(
            "          env:\n",
            "          envFrom:\n            - configMapRef:\n                name: otel\n          env:\n",
        ) + CM;
        let f = findings(&CHECK, &m, None);
        assert!(
            f[0].message.contains("spec.exporter.endpoint"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("envFrom ConfigMap otel"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_ref().unwrap().line, 61, "{f:?}");
    }
}
