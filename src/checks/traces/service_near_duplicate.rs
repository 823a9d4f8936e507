use std::collections::BTreeMap;

use super::{looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};

pub static CHECK: Check = Check {
    id: "TRC008",
    name: "service-name-near-duplicates",
    family: Family::TraceServices,
    severity: Severity::Warning,
    title: "No two service names differ only by case, '-' or '_'",
    explanation: Explanation {
        checks: "Service names that become equal once lower-cased with `-` and `_` removed, such as \
                 `checkout-service`, `Checkout_Service` and `checkoutservice`.",
        why: "Such names are almost always one service configured differently in two places (two \
              languages, a Helm value and an env var). The backend shows two services, each with \
              half the traces, and the dependency graph splits.",
        fix: "Pick one spelling (the deployment unit's name) and set it as OTEL_SERVICE_NAME \
              everywhere.",
        example: "checkout-service (420 spans), checkout_service (17 spans)",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let mut groups: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for span in &set.spans {
        let name = set.str(span.service);
        if !name.is_empty() {
            *groups
                .entry(normalise(name))
                .or_default()
                .entry(name)
                .or_default() += 1;
        }
    }
    let drafts = groups
        .into_values()
        .filter(|spellings| spellings.len() > 1)
        .map(|spellings| {
            let listed: Vec<String> = spellings
                .iter()
                .map(|(n, c)| format!("{n} ({})", super::count(*c, "span")))
                .collect();
            let most = spellings
                .iter()
                .max_by_key(|(_, c)| **c)
                .map_or("", |(n, _)| *n);
            let names: Vec<&str> = spellings.keys().copied().collect();
            Draft::new(
                format!("services {}", names.join(", ")),
                format!(
                    "{} look like one service spelled {} ways: {}.",
                    names.join(" and "),
                    names.len(),
                    listed.join(", ")
                ),
                format!("Use one name everywhere, e.g. OTEL_SERVICE_NAME={most}."),
            )
            .evidence("spellings", names.len())
        })
        .collect();
    Outcome::from_drafts(drafts, looked_at(set))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_with_distinct_names() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn flags_case_and_separator_variants() {
        let input = line("e1", "01", "", "checkout-service", "h1", "a", (0, 1))
            + &line("e1", "02", "01", "Checkout_Service", "h2", "b", (0, 1))
            + &line("e2", "01", "", "checkout-service", "h1", "a", (0, 1));
        let f = findings(&CHECK, &input);
        assert_eq!(f[0].subject, "services Checkout_Service, checkout-service");
        assert!(f[0].fix.contains("OTEL_SERVICE_NAME=checkout-service"));
    }
}
