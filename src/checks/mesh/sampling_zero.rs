use super::mesh;
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "MSH005",
    name: "mesh-sampling-zero",
    family: Family::Mesh,
    severity: Severity::Warning,
    title: "Mesh tracing samples more than 0 % of new traces",
    explanation: Explanation {
        checks: "Whether a Telemetry tracing rule sets `randomSamplingPercentage: 0` (without \
                 `disableSpanReporting: true`, which says the intent plainly), or the mesh \
                 config sets the legacy `defaultConfig.tracing.sampling: 0`, which proxies fall \
                 back to when no Telemetry sets a percentage.",
        why: "At 0 % the proxies start no trace of their own: only requests arriving with a \
              sampled trace context are traced, so a mesh whose apps start no trace reports \
              nothing.",
        fix: "Set the percentage of requests to trace (e.g. 10; 100 while testing), or \
              `disableSpanReporting: true` if no spans are wanted.",
        example: "tracing:\n- providers:\n  - name: otel-tracing\n  randomSamplingPercentage: 0",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let (_, mesh) = match mesh(ctx) {
        Ok(found) => found,
        Err(skip) => return skip,
    };
    let mut drafts = Vec::new();
    let mut evidence = Evidence::new();
    for t in &mesh.telemetries {
        for rule in &t.tracing {
            let Some(s) = &rule.sampling else { continue };
            let label = format!("{}/{}", t.namespace, t.name);
            evidence.push(label.clone(), s.value);
            let off = rule.disabled.as_ref().is_some_and(|d| d.value);
            if s.value > 0.0 || off {
                continue;
            }
            drafts.push(
                Draft::new(
                    format!("Telemetry {label}"),
                    format!(
                        "Telemetry {label} sets randomSamplingPercentage to 0: its proxies start no trace and report only requests that arrive already sampled."
                    ),
                    format!(
                        "At {}, set the percentage to trace (e.g. `randomSamplingPercentage: 10`), or `disableSpanReporting: true` if no spans are wanted.",
                        s.at
                    ),
                )
                .at(s.at.clone()),
            );
        }
    }
    // A mesh-wide Telemetry percentage reaches every proxy: the legacy value then applies to none.
    let mesh_wide = (mesh
        .effective(&mesh.chain(mesh.root_namespace(), &[]))
        .sampling)
        .is_some();
    for c in &mesh.configs {
        let Some(s) = &c.legacy_sampling else {
            continue;
        };
        evidence.push(c.origin.clone(), s.value);
        if s.value > 0.0 || mesh_wide {
            continue;
        }
        drafts.push(
            Draft::new(
                c.origin.clone(),
                format!(
                    "{} sets defaultConfig.tracing.sampling to 0: proxies that no Telemetry gives a randomSamplingPercentage start no trace.",
                    c.origin
                ),
                format!(
                    "At {}, set the percentage to trace (e.g. `sampling: 10`), or set `randomSamplingPercentage` in a Telemetry.",
                    s.at
                ),
            )
            .at(s.at.clone()),
        );
    }
    Outcome::from_drafts(drafts, evidence)
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{findings, passes};
    use crate::checks::mesh::testing::{MESH, TELEMETRY, line_of, mesh};

    #[test]
    fn passes_at_ten_percent_and_when_span_reporting_is_off() {
        assert!(passes(&CHECK, &mesh(MESH, TELEMETRY), None));
        let off = TELEMETRY.replace(": 10", ": 0\n  disableSpanReporting: true");
        assert!(passes(&CHECK, &mesh(MESH, &off), None));
    }

    #[test]
    fn flags_zero_percent_at_its_line() {
        let m = mesh(MESH, &TELEMETRY.replace(": 10", ": 0.0"));
        let f = findings(&CHECK, &m, None);
        let line = line_of(&m, "kind: Telemetry", "randomSamplingPercentage");
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }

    #[test]
    fn legacy_sampling_zero_is_quiet_under_a_mesh_wide_telemetry_percentage() {
        let legacy = format!("defaultConfig:\n  tracing:\n    sampling: 0\n{MESH}");
        assert!(passes(&CHECK, &mesh(&legacy, TELEMETRY), None));
    }

    #[test]
    fn flags_legacy_sampling_zero() {
        let no_percentage = "tracing:\n- providers:\n  - name: otel-tracing\n";
        let m = mesh(
            &format!("defaultConfig:\n  tracing:\n    sampling: 0\n{MESH}"),
            no_percentage,
        );
        let f = findings(&CHECK, &m, None);
        assert!(
            f[0].message
                .contains("ConfigMap istio-system/istio key mesh"),
            "{}",
            f[0].message
        );
        let line = line_of(
            &m,
            "kind: ConfigMap\nmetadata:\n  name: istio",
            "sampling: 0",
        );
        assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    }
}
