use super::{shown, tracing_names};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "MSH001",
    name: "mesh-provider-undefined",
    family: Family::Mesh,
    severity: Severity::Error,
    title: "Every tracing provider a Telemetry or defaultProviders names is defined",
    explanation: Explanation {
        checks: "When the input holds the mesh config (an IstioOperator's `spec.meshConfig` or the \
                 ConfigMap `istio` key `mesh`), whether each name in a Telemetry's \
                 `spec.tracing[].providers` and in `defaultProviders.tracing` is the `name` of an \
                 `extensionProviders` entry.",
        why: "istiod looks the name up among the extension providers; when it is not there, the \
              proxies that rule applies to get no tracer at all, and no error reaches the \
              workloads: spans are lost silently.",
        fix: "Spell the name as the `extensionProviders` entry does, or add the provider to the \
              mesh config.",
        example: "extensionProviders:\n- name: otel-tracing\n  opentelemetry: {...}\n---\nkind: Telemetry\nspec:\n  tracing:\n  - providers:\n    - name: otel   # not defined",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (_, mesh) = match shown(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let defined: Vec<&str> = mesh.providers().map(|p| p.name.as_str()).collect();
    let names = tracing_names(mesh);
    let mut drafts = Vec::new();
    for (name, by) in &names {
        if mesh.provider(&name.value).is_some() {
            continue;
        }
        let closest = crate::checks::known_values::closest(&name.value, &defined);
        let listed = if defined.is_empty() {
            "none".to_string()
        } else {
            defined.join(", ")
        };
        let fix = match closest {
            Some(d) => format!(
                "At {}, did you mean `{d}`? Write the name as its `extensionProviders` entry does.",
                name.at
            ),
            None if defined.is_empty() => format!(
                "Add an `extensionProviders` entry named `{}` to the mesh config at {}.",
                name.value, mesh.configs[0].at
            ),
            None => format!(
                "At {}, name one of the defined providers ({listed}), or add `{}` to `extensionProviders` at {}.",
                name.at, name.value, mesh.configs[0].at
            ),
        };
        drafts.push(
            Draft::new(
                name.value.clone(),
                format!(
                    "{by} names tracing provider `{}`, which no `extensionProviders` entry defines (defined: {listed}); istiod gives the proxies it applies to no tracer, so their spans are lost silently.",
                    name.value
                ),
                fix,
            )
            .evidence("provider", name.value.clone())
            .evidence("defined", listed)
            .at(name.at.clone()),
        );
    }
    Outcome::from_drafts(drafts, Evidence::new().with("names", names.len()))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::mesh::testing::{MESH, TELEMETRY, line_of, mesh};

    #[test]
    fn passes_when_every_name_is_defined() {
        assert!(passes(&CHECK, &mesh(MESH, TELEMETRY), None));
    }

    #[test]
    fn flags_a_misspelt_name_at_its_line_with_the_close_one() {
        let m = mesh(
            MESH,
            &TELEMETRY.replace("name: otel-tracing", "name: otel-tracer"),
        );
        let f = findings(&CHECK, &m, None);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("`otel-tracer`"), "{}", f[0].message);
        assert!(
            f[0].fix.contains("did you mean `otel-tracing`?"),
            "{}",
            f[0].fix
        );
        let line = line_of(&m, "kind: Telemetry", "otel-tracer");
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }

    #[test]
    fn flags_a_default_provider_and_skips_without_the_mesh_config() {
        let m = mesh(
            &format!("{MESH}defaultProviders:\n  tracing: [jaeger]\n"),
            TELEMETRY,
        );
        let f = findings(&CHECK, &m, None);
        assert!(
            f[0].message.starts_with("defaultProviders.tracing names"),
            "{}",
            f[0].message
        );
        let telemetry_only = m.replace("name: istio\n", "name: other\n");
        let outcome = crate::checks::deploy::testing::run(&CHECK, &telemetry_only, None);
        assert!(matches!(outcome, crate::report::Outcome::Skipped(_)));
    }
}
