use crate::checks::deploy::app;
use crate::checks::deploy::target::{Host, resolve};
use crate::checks::{Check, Context, Run};
use crate::deploy::Role;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "OPR008",
    name: "instrumentation-localhost-without-sidecar",
    family: Family::Deployment,
    severity: Severity::Error,
    title: "An injected container left on the localhost endpoint has a sidecar collector",
    explanation: Explanation {
        checks: "For each container the operator instruments, whether its OTLP endpoint is \
                 `localhost` (the SDK default when the Instrumentation sets no \
                 `exporter.endpoint`, or the documented `http://localhost:4317`) while no \
                 collector shares its pod (a sidecar-mode OpenTelemetryCollector joined through \
                 `sidecar.opentelemetry.io/inject`, or a collector container of the template).",
        why: "The default endpoint only works when a collector runs in the same pod. Without one \
              every injected agent exports into a closed port and drops its spans.",
        fix: "Set `spec.exporter.endpoint` to the collector's Service (e.g. \
              `http://otel-collector.observability.svc:4318`), or add a sidecar-mode \
              OpenTelemetryCollector and `sidecar.opentelemetry.io/inject: \"true\"`.",
        example: "kind: Instrumentation\nspec:\n  propagators: [tracecontext]   # no exporter.endpoint",
    },
    needs: Needs::Workload,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (scope, w) = match app(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let Some(injected) = &w.injected else {
        return Outcome::skip("not instrumented by the OpenTelemetry Operator");
    };
    let o = &ctx.settings.otlp;
    let Some((host, port)) = o.host_port() else {
        return Outcome::Pass(Evidence::new().with("endpoint", "not a usable URL"));
    };
    let var = o.endpoint.var.and_then(|v| w.var(v));
    // An endpoint the container's own env sets is DEP004's to judge.
    if var.is_some_and(|v| !v.origin.starts_with("Instrumentation ")) {
        return Outcome::Pass(Evidence::new().with("endpoint", "set by the container"));
    }
    let evidence = Evidence::new().with("endpoint", format!("{host}:{port}"));
    let sidecar =
        (scope.shared.network(w).into_iter()).any(|o| o.id != w.id && o.role != Role::App);
    if !matches!(resolve(scope, w, &host), Host::Loopback) || sidecar {
        return Outcome::Pass(evidence);
    }
    let (what, at) = match var {
        Some(v) => (
            format!("{} ({}) is {host}:{port}", v.origin, v.source),
            v.source.clone(),
        ),
        None => (
            format!(
                "Instrumentation {} sets no exporter endpoint, so the SDK uses its default {host}:{port}",
                injected.instrumentation
            ),
            injected.at.clone(),
        ),
    };
    Outcome::Findings(vec![
        Draft::new(
            injected.instrumentation.clone(),
            format!("{what}, and no collector runs in this pod: localhost is the pod itself."),
            format!(
                "At {at}, set spec.exporter.endpoint to the collector's Service, or add a sidecar-mode OpenTelemetryCollector and sidecar.opentelemetry.io/inject: \"true\" to the pod template."
            ),
        )
        .evidence("language", injected.lang.clone())
        .at(at),
    ])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{ctx, shared};
    use crate::checks::operator::testing::{WORKING, inject, manifest};
    use crate::checks::testing::run_in;
    use crate::report::Outcome;

    fn outcome(spec: &str, annotations: &str, mode: &str) -> Outcome {
        let m = manifest(spec, annotations, "").replace("mode: deployment", mode);
        run_in(&CHECK, &ctx(&shared(&m), Some("checkout/app"), None))
    }

    const NO_ENDPOINT: &str = "  propagators: [tracecontext]\n";

    #[test]
    fn passes_with_a_service_endpoint_or_a_sidecar() {
        assert!(matches!(
            outcome(WORKING, &inject("java", "true"), "mode: deployment"),
            Outcome::Pass(_)
        ));
        let ann = inject("java", "true") + "        sidecar.opentelemetry.io/inject: \"true\"\n";
        assert!(matches!(
            outcome(NO_ENDPOINT, &ann, "mode: sidecar"),
            Outcome::Pass(_)
        ));
    }

    #[test]
    fn flags_the_default_endpoint_at_the_instrumentation() {
        let Outcome::Findings(f) =
            outcome(NO_ENDPOINT, &inject("java", "true"), "mode: deployment")
        else {
            panic!("no finding");
        };
        assert!(
            f[0].message.contains("sets no exporter endpoint"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_ref().unwrap().line, 25);
    }
}
