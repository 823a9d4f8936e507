use super::report;
use crate::checks::{Check, Context, Run};
use crate::deploy::InjectionIssue;
use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR009",
    name: "sidecar-without-collector",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "A sidecar inject annotation finds a sidecar-mode OpenTelemetryCollector",
    explanation: Explanation {
        checks: "For each pod template (or namespace) with `sidecar.opentelemetry.io/inject`, \
                 whether the input has the OpenTelemetryCollector it selects with `mode: \
                 sidecar`: the only one of the namespace for `\"true\"`, the named one otherwise.",
        why: "Without it no collector joins the pod, and apps sending to `localhost` (the usual \
              reason for a sidecar) export into nothing.",
        fix: "Create an OpenTelemetryCollector with `mode: sidecar` in the pod's namespace (and \
              name it in the annotation when there are several), or remove the annotation and \
              point the apps at a collector Service.",
        example: "sidecar.opentelemetry.io/inject: \"true\"   # the only collector has mode: deployment",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    report(ctx, InjectionIssue::SidecarWithoutCollector)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::operator::testing::{WORKING, manifest};

    const SIDECAR: &str = "        sidecar.opentelemetry.io/inject: \"true\"\n";

    #[test]
    fn passes_with_a_sidecar_collector() {
        let m = manifest(WORKING, SIDECAR, "").replace("mode: deployment", "mode: sidecar");
        assert!(passes(&CHECK, &m, None));
    }

    #[test]
    fn flags_a_deployment_mode_collector() {
        let f = findings(&CHECK, &manifest(WORKING, SIDECAR, ""), None);
        assert!(f[0].message.contains("has none"), "{}", f[0].message);
        assert_eq!(f[0].location.as_ref().unwrap().line, 43);
        let named = "        sidecar.opentelemetry.io/inject: \"otel\"\n";
        let f = findings(&CHECK, &manifest(WORKING, named, ""), None);
        assert!(
            f[0].message.contains("mode is deployment"),
            "{}",
            f[0].message
        );
    }
}
