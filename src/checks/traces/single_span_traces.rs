use std::collections::BTreeMap;

use super::{hex_trace, looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::Parent;

/// Single-span traces of one operation from which on it looks like broken propagation.
const MANY: usize = 3;

pub static CHECK: Check = Check {
    id: "TRC003",
    name: "single-span-traces",
    family: Family::TracePropagation,
    severity: Severity::Warning,
    title: "No operation shows up again and again as a one-span trace",
    explanation: Explanation {
        checks: "Operations (service + span name) that are the only span of at least 3 traces and \
                 of at least half of the traces they appear in.",
        why: "When a gateway or middleware does not extract and re-inject `traceparent` (or no \
              propagator is registered), every request starts a new trace: the downstream \
              service's spans appear as many one-span traces instead of as children of the caller.",
        fix: "Register the same propagator in every service (OTEL_PROPAGATORS=tracecontext,baggage, \
              plus b3 or jaeger where older clients send those headers) and make sure proxies \
              forward the `traceparent` header.",
        example: "payments: Charge  (40 traces, each with this span alone)",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    // (service, name) -> (traces with the operation, single-span traces, example)
    let mut ops: BTreeMap<(&str, &str), (usize, usize, u128)> = BTreeMap::new();
    for trace in set.traces() {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for span in trace {
            let key = (set.service(span), set.str(span.name));
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let entry = ops.entry(key).or_insert((0, 0, span.trace_id));
            entry.0 += 1;
            if trace.len() == 1 {
                entry.1 += 1;
                entry.2 = span.trace_id;
            }
        }
    }
    // Spans started from an all-zero parent id (TRC005), by service: downstream calls that
    // received a context but not a usable one.
    let mut zero: BTreeMap<&str, usize> = BTreeMap::new();
    for span in set.spans.iter().filter(|s| s.parent == Parent::Zero) {
        *zero.entry(set.service(span)).or_default() += 1;
    }
    let drafts = ops
        .into_iter()
        .filter(|(_, (total, single, _))| *single >= MANY && single * 2 >= *total)
        .map(|((service, name), (total, single, example))| {
            let downstream: Vec<String> = zero
                .iter()
                .filter(|(s, _)| **s != service)
                .map(|(s, n)| format!("{s} ({n})"))
                .collect();
            let tie = if downstream.is_empty() {
                String::new()
            } else {
                format!(
                    " Spans of {} carry an all-zero parent id (TRC005): a context reached them \
                     but was not usable, which breaks traces the same way.",
                    downstream.join(", ")
                )
            };
            Draft::new(
                format!("{service}: {name}"),
                format!(
                    "`{name}` of {service} is the only span of {single} of the {total} traces it \
                     appears in: the trace breaks at this span. Either it started without the \
                     context of a caller that sent one, or, as an entry span, the services it calls \
                     did not get its context and started traces of their own.{tie}"
                ),
                "Set the same OTEL_PROPAGATORS (e.g. tracecontext,baggage) in every service and \
                 make proxies forward the traceparent header.",
            )
            .evidence("single_span_traces", single)
            .evidence("traces", total)
            .evidence("example_trace", hex_trace(example))
        })
        .collect();
    Outcome::from_drafts(drafts, looked_at(set))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_on_connected_traces() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn flags_an_operation_that_is_always_alone() {
        let input: String = ["b1", "b2", "b3"]
            .iter()
            .map(|t| line(t, "09", "", "payments", "h3", "Charge", (0, 5)))
            .collect::<String>()
            + &healthy();
        let f = findings(&CHECK, &input);
        assert_eq!(f[0].subject, "payments: Charge");
        assert!(
            f[0].message.contains("as an entry span"),
            "{}",
            f[0].message
        );
        assert!(!f[0].message.contains("TRC005"), "{}", f[0].message);
        assert_eq!(
            f[0].evidence.get("single_span_traces"),
            Some(&serde_json::json!(3))
        );
    }

    #[test]
    fn ties_a_lone_entry_span_to_downstream_zero_parent_ids() {
        let zeros = "0000000000000000";
        let input: String = ["b1", "b2", "b3"]
            .iter()
            .map(|t| line(t, "09", "", "gateway", "h1", "GET /pay", (0, 5)))
            .chain(
                ["c1", "c2", "c3"]
                    .iter()
                    .map(|t| line(t, "0a", zeros, "payments", "h3", "Charge", (1, 4))),
            )
            .collect::<String>()
            + &healthy();
        let f = findings(&CHECK, &input);
        let gateway = f.iter().find(|d| d.subject == "gateway: GET /pay").unwrap();
        assert!(
            gateway
                .message
                .contains("Spans of payments (3) carry an all-zero parent id (TRC005)"),
            "{}",
            gateway.message
        );
    }
}
