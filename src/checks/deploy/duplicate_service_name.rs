use std::collections::BTreeMap;

use super::deployment;
use crate::checks::{Check, Context, Run};
use crate::deploy::{EnvValue, Role, Workload};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::settings::ResourceAttributes;

pub static CHECK: Check = Check {
    id: "DEP010",
    name: "service-name-shared",
    family: Family::Deployment,
    severity: Severity::Warning,
    title: "Each workload has its own service name",
    explanation: Explanation {
        checks: "Whether two app workloads (different pods or Compose services) set the same \
                 service name (OTEL_SERVICE_NAME, else `service.name` in OTEL_RESOURCE_ATTRIBUTES), \
                 or names that differ only by case, `-` or `_`.",
        why: "Spans of both workloads land under one service in the backend, so their latencies, \
              errors and dependencies mix; near-identical names split one team's view into two.",
        fix: "Give each workload its own service name, spelled one way.",
        example: "# cart: OTEL_SERVICE_NAME=checkout\n# checkout: OTEL_SERVICE_NAME=checkout",
    },
    needs: Needs::Deployment,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let scope = match deployment(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let mut groups: BTreeMap<String, Vec<(&Workload, String)>> = BTreeMap::new();
    for w in scope
        .deployment()
        .workloads
        .iter()
        .filter(|w| w.role == Role::App)
    {
        if let Some(name) = service_name(w) {
            let key: String = name
                .to_lowercase()
                .chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .collect();
            groups.entry(key).or_default().push((w, name));
        }
    }
    let mut drafts = Vec::new();
    for members in groups.values() {
        let mut pods: Vec<&(&Workload, String)> = Vec::new();
        for m in members {
            if !pods.iter().any(|p| p.0.network.group == m.0.network.group) {
                pods.push(m);
            }
        }
        if pods.len() < 2 {
            continue;
        }
        let same = pods.iter().all(|p| p.1 == pods[0].1);
        let list: Vec<String> = pods
            .iter()
            .map(|(w, n)| format!("{} ({n})", w.id))
            .collect();
        let message = if same {
            format!(
                "{} workloads report the service name `{}`: {}.",
                pods.len(),
                pods[0].1,
                list.join(", ")
            )
        } else {
            format!(
                "These service names differ only by case, `-` or `_`: {}.",
                list.join(", ")
            )
        };
        let first = pods[1].0;
        let at = first
            .var("OTEL_SERVICE_NAME")
            .or_else(|| first.var("OTEL_RESOURCE_ATTRIBUTES"))
            .map(|v| v.source.clone())
            .unwrap_or_else(|| first.source.clone());
        drafts.push(
            Draft::new(
                pods[0].1.clone(),
                message,
                format!("Give each workload its own service name, e.g. at {at}."),
            )
            .evidence("workloads", pods.len())
            .at(at),
        );
    }
    Outcome::from_drafts(drafts, Evidence::new().with("names", groups.len()))
}

/// The service name a workload sets explicitly.
fn service_name(w: &Workload) -> Option<String> {
    let literal = |name: &str| match w.var(name).map(|v| &v.value) {
        Some(EnvValue::Literal(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    literal("OTEL_SERVICE_NAME").or_else(|| {
        let attrs = ResourceAttributes::parse(&literal("OTEL_RESOURCE_ATTRIBUTES")?);
        attrs.get("service.name").map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::deploy::testing::{demo, findings, passes};

    fn two(first: &str, second: &str) -> String {
        let one = demo("").replace("value: checkout", &format!("value: {first}"));
        let other = demo("")
            .replace("name: checkout\n", "name: cart\n")
            .replace("value: checkout", &format!("value: {second}"));
        let start = other
            .find("kind: Deployment\nmetadata:\n  name: cart")
            .unwrap();
        format!("{one}---\napiVersion: apps/v1\n{}", &other[start..])
    }

    #[test]
    fn passes_with_distinct_names() {
        assert!(passes(&CHECK, &two("checkout", "cart"), None));
    }

    #[test]
    fn flags_one_name_twice_and_near_duplicates() {
        let f = findings(&CHECK, &two("checkout", "checkout"), None);
        assert!(
            f[0].message
                .contains("2 workloads report the service name `checkout`"),
            "{}",
            f[0].message
        );
        let f = findings(&CHECK, &two("check-out", "Check_Out"), None);
        assert!(
            f[0].message.contains("differ only by case"),
            "{}",
            f[0].message
        );
    }
}
