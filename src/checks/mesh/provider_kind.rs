use super::{shown, tracer_names, tracing_names};
use crate::checks::{Check, Context, Run};
use crate::deploy::mesh::Tracing;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "MSH002",
    name: "mesh-provider-not-a-tracer",
    family: Family::Mesh,
    severity: Severity::Error,
    title: "The providers selected for tracing are tracers",
    explanation: Explanation {
        checks: "Whether each extension provider named for tracing (Telemetry \
                 `spec.tracing[].providers`, `defaultProviders.tracing`) is of a kind istiod \
                 builds a tracer from: `opentelemetry`, `zipkin`, `datadog` or `skywalking`. \
                 Access-log, metrics, ext_authz and SDS providers never trace; `lightstep`, \
                 `opencensus` and `stackdriver` traced in older releases only (a warning).",
        why: "istiod refuses to configure tracing from a provider that does not support it and \
              logs a warning only it can see: the proxies report no span.",
        fix: "Name a tracing provider (e.g. an `opentelemetry` entry pointing at your collector) \
              in the tracing rule; keep access-log and metrics providers in `accessLogging` and \
              `metrics`.",
        example: "extensionProviders:\n- name: otel\n  envoyOtelAls: {...}   # an access-log provider\n---\nkind: Telemetry\nspec:\n  tracing:\n  - providers:\n    - name: otel",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (_, mesh) = match shown(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let tracers = tracer_names(mesh);
    let mut drafts = Vec::new();
    let mut evidence = Evidence::new();
    for (name, by) in tracing_names(mesh) {
        let Some(p) = mesh.provider(&name.value) else {
            continue;
        };
        let (severity, what) = match p.tracing() {
            Tracing::Yes | Tracing::Unknown => {
                evidence.push(p.name.clone(), p.kind.clone());
                continue;
            }
            Tracing::No => (Severity::Error, "a kind that never traces"),
            Tracing::Retired => (
                Severity::Warning,
                "a kind current istiod no longer builds a tracer from",
            ),
        };
        let instead = if tracers.is_empty() {
            "add an `opentelemetry` provider (service and port of your collector) to `extensionProviders` and name it here".to_string()
        } else {
            format!("name a tracing provider ({}) instead", tracers.join(", "))
        };
        drafts.push(
            Draft::new(
                p.name.clone(),
                format!(
                    "{by} selects `{}` for tracing, but that provider is `{}` ({what}, defined at {}); the proxies it applies to report no span.",
                    p.name, p.kind, p.at
                ),
                format!("At {}, {instead}.", name.at),
            )
            .severity(severity)
            .evidence("provider", p.name.clone())
            .evidence("kind", p.kind.clone())
            .at(name.at.clone()),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::mesh::testing::{MESH, TELEMETRY, line_of, mesh};
    use crate::rule::Severity;

    const LOG: &str = "- name: otel-als\n  envoyOtelAls:\n    service: otel-collector.observability.svc.cluster.local\n    port: 4317\n";

    #[test]
    fn passes_with_an_opentelemetry_provider_next_to_an_access_log_one() {
        assert!(passes(
            &CHECK,
            &mesh(&format!("{MESH}{LOG}"), TELEMETRY),
            None
        ));
    }

    #[test]
    fn flags_an_access_log_provider_used_for_tracing() {
        let m = mesh(
            &format!("{MESH}{LOG}"),
            &TELEMETRY.replace("name: otel-tracing", "name: otel-als"),
        );
        let f = findings(&CHECK, &m, None);
        assert!(f[0].message.contains("`envoyOtelAls`"), "{}", f[0].message);
        assert!(f[0].fix.contains("(otel-tracing)"), "{}", f[0].fix);
        let line = line_of(&m, "kind: Telemetry", "name: otel-als");
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }

    #[test]
    fn a_retired_tracer_is_a_warning() {
        let m = mesh(
            &format!("{MESH}- name: sd\n  stackdriver: {{}}\n"),
            &TELEMETRY.replace("name: otel-tracing", "name: sd"),
        );
        let f = findings(&CHECK, &m, None);
        assert_eq!(f[0].severity, Some(Severity::Warning));
    }
}
