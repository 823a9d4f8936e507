use super::shown;
use crate::checks::{Check, Context, Run};
use crate::deploy::mesh::Mesh;
use crate::deploy::{EnvValue, Role, Workload};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::is_tracing_var;

pub static CHECK: Check = Check {
    id: "MSH007",
    name: "mesh-propagation-mismatch",
    family: Family::Mesh,
    severity: Severity::Info,
    title: "Injected apps propagate the trace headers their sidecar uses",
    explanation: Explanation {
        checks: "For each instrumented app whose pod gets an Istio sidecar (namespace label \
                 `istio-injection: enabled` or `istio.io/rev`, or `sidecar.istio.io/inject: \
                 \"true\"` on the pod), whether its OTEL_PROPAGATORS (default \
                 `tracecontext,baggage`) include the headers of the tracer the mesh gives that \
                 workload: B3 `x-b3-*` for a `zipkin` provider, W3C `traceparent` for \
                 `opentelemetry`.",
        why: "The sidecar starts or continues the trace in its own headers. An app that reads \
              only other headers starts a new trace, so the proxy's spans and the app's land in \
              different traces. The sidecar does not carry headers from an inbound request to \
              the app's outbound calls: the app (its SDK or its code) must forward them.",
        fix: "Add the mesh's propagator to OTEL_PROPAGATORS (`b3multi` for zipkin, \
              `tracecontext` for opentelemetry), and make sure the app forwards the trace \
              headers on its outbound calls.",
        example: "# mesh: zipkin provider (x-b3-* headers)\nOTEL_PROPAGATORS=tracecontext,baggage",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

/// Whether `w`'s pod gets a sidecar: the pod's own label or annotation wins over its namespace.
fn injected(mesh: &Mesh, w: &Workload) -> bool {
    let own = w
        .labels
        .iter()
        .chain(&w.annotations)
        .find(|(k, _)| k == "sidecar.istio.io/inject")
        .map(|(_, v)| v == "true");
    own.unwrap_or_else(|| mesh.injected_namespaces.contains(&w.namespace))
}

fn run(ctx: &Context) -> Outcome {
    let (scope, mesh) = match shown(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut drafts = Vec::new();
    let mut evidence = Evidence::new();
    let apps = scope.deployment().workloads.iter().filter(|w| {
        w.role == Role::App && !w.init && w.env.iter().any(|v| is_tracing_var(&v.name))
    });
    for w in apps.filter(|w| injected(mesh, w)) {
        let chain = mesh.chain(&w.namespace, &w.labels);
        let Some(provider) = mesh
            .effective(&chain)
            .provider
            .and_then(|name| mesh.provider(&name.value))
        else {
            continue;
        };
        let Some((headers, speak)) = provider.propagation() else {
            continue;
        };
        let var = w.var("OTEL_PROPAGATORS");
        let propagators = match var.map(|v| &v.value) {
            Some(EnvValue::Literal(s)) => s.to_ascii_lowercase(),
            Some(_) => continue,
            None => "tracecontext,baggage".to_string(),
        };
        let has: Vec<&str> = propagators.split(',').map(str::trim).collect();
        if speak.iter().any(|p| has.contains(p)) {
            evidence.push(w.id.clone(), propagators.clone());
            continue;
        }
        let add = if provider.kind == "zipkin" {
            "b3multi"
        } else {
            "tracecontext"
        };
        let at = var.map_or_else(|| w.source.clone(), |v| v.source.clone());
        let set = match var {
            Some(_) => format!("At {at}, add `{add}` to OTEL_PROPAGATORS ({propagators},{add})"),
            None => format!("At {at}, set OTEL_PROPAGATORS={propagators},{add}"),
        };
        drafts.push(
            Draft::new(
                w.id.clone(),
                format!(
                    "{} reads and writes {propagators} headers, but its sidecar traces with provider `{}` ({}), which uses {headers}: the proxy's spans and the app's land in different traces.",
                    w.id, provider.name, provider.kind
                ),
                format!(
                    "{set}; the sidecar does not copy trace headers from inbound to outbound requests, so the app must forward them on its outbound calls too."
                ),
            )
            .evidence("propagators", propagators)
            .evidence("provider", provider.name.clone())
            .at(at),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, item, passes};
    use crate::checks::mesh::testing::{MESH, TELEMETRY, line_of, mesh};

    #[test]
    fn passes_when_the_app_speaks_the_providers_headers() {
        assert!(passes(&CHECK, &mesh(MESH, TELEMETRY), None));
        let zipkin = mesh(&MESH.replace("opentelemetry:", "zipkin:"), TELEMETRY);
        let b3 = zipkin.replace(
            "              value: checkout\n",
            &format!(
                "              value: checkout\n{}",
                item("OTEL_PROPAGATORS", "b3multi")
            ),
        );
        assert!(passes(&CHECK, &b3, None));
    }

    #[test]
    fn notes_a_w3c_app_behind_a_zipkin_sidecar() {
        let m = mesh(&MESH.replace("opentelemetry:", "zipkin:"), TELEMETRY);
        let f = findings(&CHECK, &m, None);
        assert!(f[0].message.contains("B3 (`x-b3-*`)"), "{}", f[0].message);
        assert!(
            f[0].fix.contains("tracecontext,baggage,b3multi"),
            "{}",
            f[0].fix
        );
        assert!(f[0].fix.contains("must forward them"), "{}", f[0].fix);
        let line = line_of(
            &m,
            "kind: Deployment\nmetadata:\n  name: checkout",
            "- name: app",
        );
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }

    #[test]
    fn an_opted_out_pod_is_not_judged() {
        let m = mesh(&MESH.replace("opentelemetry:", "zipkin:"), TELEMETRY).replace(
            "        app: checkout\n",
            "        app: checkout\n        sidecar.istio.io/inject: \"false\"\n",
        );
        assert!(passes(&CHECK, &m, None));
    }
}
