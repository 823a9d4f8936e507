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
                 workload: B3 `x-b3-*` for a `zipkin` provider (or the legacy \
                 `defaultConfig.tracing.zipkin` tracer, when no Telemetry rule and no default \
                 provider applies), W3C `traceparent` for `opentelemetry`.",
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

/// The tracer a sidecar uses, as far as trace headers go.
struct Tracer {
    /// For people: `provider `zipkin` (zipkin)`, the legacy Zipkin tracer.
    what: String,
    headers: &'static str,
    /// The OTEL_PROPAGATORS values that read its headers.
    speak: &'static [&'static str],
    /// The propagator to add.
    add: &'static str,
}

/// The tracer of `w`'s sidecar: the provider its Telemetry scope selects, else (no Telemetry
/// rule and no default provider) the legacy tracer when the mesh config sets it to Zipkin.
fn tracer(mesh: &Mesh, w: &Workload) -> Option<Tracer> {
    let e = mesh.effective(&mesh.chain(&w.namespace, &w.labels));
    if let Some(name) = e.provider {
        let p = mesh.provider(&name.value)?;
        let (headers, speak) = p.propagation()?;
        return Some(Tracer {
            what: format!("provider `{}` ({})", p.name, p.kind),
            headers,
            speak,
            add: if p.kind == "zipkin" {
                "b3multi"
            } else {
                "tracecontext"
            },
        });
    }
    if e.rules {
        return None;
    }
    let zipkin = mesh.configs.iter().find_map(|c| c.legacy_zipkin.as_ref())?;
    Some(Tracer {
        what: format!(
            "the legacy Zipkin tracer (defaultConfig.tracing.zipkin at {})",
            zipkin.at
        ),
        headers: "B3 (`x-b3-*`)",
        speak: &["b3", "b3multi"],
        add: "b3multi",
    })
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
        let Some(t) = tracer(mesh, w) else { continue };
        let var = w.var("OTEL_PROPAGATORS");
        let propagators = match var.map(|v| &v.value) {
            Some(EnvValue::Literal(s)) => s.to_ascii_lowercase(),
            Some(_) => continue,
            None => "tracecontext,baggage".to_string(),
        };
        let has: Vec<&str> = propagators.split(',').map(str::trim).collect();
        if t.speak.iter().any(|p| has.contains(p)) {
            evidence.push(w.id.clone(), propagators.clone());
            continue;
        }
        let add = t.add;
        let at = var.map_or_else(|| w.source.clone(), |v| v.source.clone());
        let set = match var {
            Some(_) => format!("At {at}, add `{add}` to OTEL_PROPAGATORS ({propagators},{add})"),
            None => format!("At {at}, set OTEL_PROPAGATORS={propagators},{add}"),
        };
        drafts.push(
            Draft::new(
                w.id.clone(),
                format!(
                    "{} reads and writes {propagators} headers, but its sidecar traces with {}, which uses {}: the proxy's spans and the app's land in different traces.",
                    w.id, t.what, t.headers
                ),
                format!(
                    "{set}; the sidecar does not copy trace headers from inbound to outbound requests, so the app must forward them on its outbound calls too."
                ),
            )
            .evidence("propagators", propagators)
            .evidence("tracer", t.what)
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
    fn notes_the_legacy_zipkin_tracer_when_no_telemetry_applies() {
        let legacy =
            "defaultConfig:\n  tracing:\n    zipkin:\n      address: zipkin.istio-system:9411\n";
        let m = mesh(
            &format!("{legacy}{MESH}"),
            "accessLogging:\n- providers:\n  - name: envoy\n",
        );
        let f = findings(&CHECK, &m, None);
        assert!(
            f[0].message.contains("legacy Zipkin tracer"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_telemetry_tracing_rule_without_a_provider_silences_the_legacy_tracer() {
        let legacy =
            "defaultConfig:\n  tracing:\n    zipkin:\n      address: zipkin.istio-system:9411\n";
        let rule = "tracing:\n- randomSamplingPercentage: 10\n";
        assert!(passes(
            &CHECK,
            &mesh(&format!("{legacy}{MESH}"), rule),
            None
        ));
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
