use super::{shown, tracer_names, tracing_names};
use crate::checks::{Check, Context, Run};
use crate::deploy::mesh::{Mesh, Tracing};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "MSH003",
    name: "mesh-no-tracing-provider",
    family: Family::Mesh,
    severity: Severity::Error,
    title: "Mesh tracing has a provider to report to",
    explanation: Explanation {
        checks: "When the input holds the mesh config: whether each Telemetry tracing rule ends \
                 up with a provider, after istiod's merge (`defaultProviders.tracing`, then the \
                 root namespace's Telemetry, the namespace's, the workload's); and whether a \
                 tracing provider defined in `extensionProviders` is selected by anything (a \
                 warning when not).",
        why: "With Telemetry tracing rules but no provider, istiod turns tracing off for those \
              proxies. A provider that no Telemetry and no `defaultProviders.tracing` selects is \
              never used: the proxies keep the legacy `defaultConfig.tracing` tracer (Zipkin) \
              instead.",
        fix: "Name the provider in the Telemetry (`providers: [{name: ...}]`), or set \
              `defaultProviders.tracing: [name]` in the mesh config.",
        example: "kind: Telemetry\nmetadata: {name: mesh-default, namespace: istio-system}\nspec:\n  tracing:\n  - randomSamplingPercentage: 10   # no providers, no defaultProviders.tracing",
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
    let hint = match tracers.first() {
        Some(t) => format!("`providers: [{{name: {t}}}]`"),
        None => {
            "a provider (define an `opentelemetry` entry in `extensionProviders` first)".to_string()
        }
    };
    let mut drafts = without_provider(mesh, &hint);
    if drafts.is_empty() && tracing_names(mesh).is_empty() {
        drafts.extend(unselected(mesh));
    }
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("tracing_providers", tracers.join(",")),
    )
}

/// Telemetry tracing rules whose scope ends up with no provider.
fn without_provider(mesh: &Mesh, hint: &str) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for t in mesh.telemetries.iter().filter(|t| !t.targeted) {
        let Some(first) = t.tracing.first() else {
            continue;
        };
        let e = mesh.effective(&mesh.chain_of(t));
        if e.provider.is_some() || e.disabled {
            continue;
        }
        let scope = if !t.selector.is_empty() {
            format!("the workloads it selects in {}", t.namespace)
        } else if t.namespace == mesh.root_namespace() {
            "the whole mesh".to_string()
        } else {
            format!("namespace {}", t.namespace)
        };
        drafts.push(
            Draft::new(
                format!("Telemetry {}/{}", t.namespace, t.name),
                format!(
                    "Telemetry {}/{} sets tracing for {scope}, but no provider is selected: its rules and the wider Telemetry name none and the mesh config has no `defaultProviders.tracing`; istiod turns tracing off for those proxies.",
                    t.namespace, t.name
                ),
                format!(
                    "At {}, add {hint} to the rule, or set `defaultProviders.tracing` in the mesh config at {}.",
                    first.at, mesh.configs[0].at
                ),
            )
            .evidence("telemetry", format!("{}/{}", t.namespace, t.name))
            .at(first.at.clone()),
        );
    }
    drafts
}

/// Tracing providers defined while nothing selects any provider.
fn unselected(mesh: &Mesh) -> Vec<Draft> {
    mesh.configs
        .iter()
        .flat_map(|c| c.providers.iter().map(move |p| (c, p)))
        .filter(|(_, p)| p.tracing() == Tracing::Yes)
        .map(|(c, p)| {
            Draft::new(
                p.name.clone(),
                format!(
                    "Tracing provider `{}` ({}) is defined in {} but no Telemetry and no `defaultProviders.tracing` selects it: the proxies keep the legacy `defaultConfig.tracing` tracer and never send to it.",
                    p.name, p.kind, c.origin
                ),
                format!(
                    "Add `defaultProviders: {{tracing: [{}]}}` to the mesh config at {}, or a Telemetry in {} with `tracing: [{{providers: [{{name: {}}}]}}]`.",
                    p.name,
                    c.at,
                    mesh.root_namespace(),
                    p.name
                ),
            )
            .severity(Severity::Warning)
            .evidence("provider", p.name.clone())
            .at(p.at.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::mesh::testing::{MESH, TELEMETRY, line_of, mesh};
    use crate::rule::Severity;

    const NO_PROVIDER: &str = "tracing:\n- randomSamplingPercentage: 10\n";

    #[test]
    fn passes_with_a_named_or_default_provider() {
        assert!(passes(&CHECK, &mesh(MESH, TELEMETRY), None));
        let defaults = format!("{MESH}defaultProviders:\n  tracing:\n  - otel-tracing\n");
        assert!(passes(&CHECK, &mesh(&defaults, NO_PROVIDER), None));
    }

    #[test]
    fn flags_a_rule_that_ends_up_with_no_provider() {
        let m = mesh(MESH, NO_PROVIDER);
        let f = findings(&CHECK, &m, None);
        assert!(f[0].message.contains("the whole mesh"), "{}", f[0].message);
        assert!(f[0].fix.contains("{name: otel-tracing}"), "{}", f[0].fix);
        let line = line_of(&m, "kind: Telemetry", "randomSamplingPercentage");
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }

    #[test]
    fn warns_about_a_provider_nothing_selects() {
        let m = mesh(MESH, "accessLogging:\n- providers:\n  - name: envoy\n");
        let f = findings(&CHECK, &m, None);
        assert_eq!(f[0].severity, Some(Severity::Warning));
        let line = line_of(
            &m,
            "kind: ConfigMap\nmetadata:\n  name: istio",
            "- name: otel-tracing",
        );
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }
}
