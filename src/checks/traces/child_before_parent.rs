use std::collections::BTreeMap;

use super::{hex_span, hex_trace, looked_at, ms, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::links;

pub static CHECK: Check = Check {
    id: "TRC002",
    name: "child-before-parent-same-host",
    family: Family::TraceClock,
    severity: Severity::Warning,
    title: "No child starts before its parent on the same host",
    explanation: Explanation {
        checks: "Parent → child links whose spans ran on the same host (same host key, or the same \
                 service when there is none) where the child's start is earlier than the parent's.",
        why: "One host has one clock, so this is not skew: the instrumentation set the child's \
              start time itself (a wrong explicit start time, a span started before its parent \
              context was created, a timestamp in the wrong unit) or async work was attached to \
              the wrong parent. Durations and the critical path are wrong for these traces.",
        fix: "Start the child span after the parent (create the parent first and pass its context), \
              and check explicit start times passed to the SDK are Unix nanoseconds from the same \
              clock.",
        example: "checkout (one host): POST /order 10:00:00.100, child charge 10:00:00.050",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let mut groups: BTreeMap<(String, String), (usize, i64, usize)> = BTreeMap::new();
    for link in links(set)
        .iter()
        .filter(|l| !l.cross_host && l.starts_before)
    {
        let (parent, child) = (&set.spans[link.parent], &set.spans[link.child]);
        let key = (
            set.service(child).to_string(),
            set.str(child.name).to_string(),
        );
        let lead = parent.start.saturating_sub(child.start);
        let entry = groups.entry(key).or_insert((0, 0, link.child));
        entry.0 += 1;
        entry.1 = entry.1.max(lead);
    }
    let drafts = groups
        .into_iter()
        .map(|((service, name), (count, lead, example))| {
            let span = &set.spans[example];
            Draft::new(
                format!("{service}: {name}"),
                format!(
                    "{} `{name}` of {service} {} before the parent on the same host, by up to {} \
                     ms: an instrumentation or async-context bug, not clock skew.",
                    super::count(count, "span"),
                    super::agree(count, "starts", "start"),
                    ms(lead)
                ),
                "Start the child after its parent (pass the parent's context when creating it) and \
                 check explicit start times are Unix nanoseconds.",
            )
            .evidence("spans", count)
            .evidence("max_lead_ms", ms(lead))
            .evidence("example_trace", hex_trace(span.trace_id))
            .evidence("example_span", hex_span(span.span_id))
        })
        .collect();
    Outcome::from_drafts(drafts, looked_at(set))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_when_children_start_after_parents() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn flags_a_same_host_child_that_starts_first() {
        let input = line("a1", "01", "", "checkout", "h1", "POST /order", (100, 200))
            + &line("a1", "02", "01", "checkout", "h1", "charge", (50, 150));
        let f = findings(&CHECK, &input);
        assert_eq!(f[0].subject, "checkout: charge");
        assert_eq!(
            f[0].evidence.get("max_lead_ms"),
            Some(&serde_json::json!(50.0))
        );
    }
}
