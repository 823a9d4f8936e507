use std::collections::BTreeMap;

use super::{looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "TRC007",
    name: "service-name-empty-or-unknown",
    family: Family::TraceServices,
    severity: Severity::Error,
    title: "Every span names its service",
    explanation: Explanation {
        checks: "Spans whose service name is empty or starts with `unknown_service` (the SDK \
                 fallback, e.g. `unknown_service:python`).",
        why: "Without a service name every service lands in the same bucket: the backend's service \
              list, dependency graph and per-service search all merge unrelated processes.",
        fix: "Set OTEL_SERVICE_NAME (or `service.name` in OTEL_RESOURCE_ATTRIBUTES) in each \
              service's environment, before the SDK is initialised.",
        example: "unknown_service:python  (1,204 spans)",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for span in &set.spans {
        let name = set.str(span.service);
        if name.trim().is_empty() || name.starts_with("unknown_service") {
            *names.entry(name).or_default() += 1;
        }
    }
    let drafts = names
        .into_iter()
        .map(|(name, count)| {
            let shown = if name.trim().is_empty() {
                "(empty)"
            } else {
                name
            };
            Draft::new(
                format!("service {shown}"),
                format!(
                    "{} {} service name {shown}: the SDK got no service.name.",
                    super::count(count, "span"),
                    super::agree(count, "has", "have")
                ),
                "Set OTEL_SERVICE_NAME=<deployment name> in that service's environment.",
            )
            .evidence("service", name)
            .evidence("spans", count)
        })
        .collect();
    Outcome::from_drafts(drafts, looked_at(set))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_with_named_services() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn flags_empty_and_unknown_service_names() {
        let input = line("d1", "01", "", "", "h1", "a", (0, 1))
            + &line("d2", "01", "", "unknown_service:python", "h1", "b", (0, 1));
        let f = findings(&CHECK, &input);
        assert_eq!(f[0].subject, "service (empty)");
        assert_eq!(f[1].subject, "service unknown_service:python");
    }
}
