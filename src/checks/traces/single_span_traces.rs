use std::collections::BTreeMap;

use super::{hex_trace, looked_at, traces};
use crate::checks::{Check, Context, Needs, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Severity};

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
    let drafts = ops
        .into_iter()
        .filter(|(_, (total, single, _))| *single >= MANY && single * 2 >= *total)
        .map(|((service, name), (total, single, example))| {
            Draft::new(
                format!("{service}: {name}"),
                format!(
                    "`{name}` of {service} is the only span of {single} of the {total} traces it \
                     appears in: its caller's context is not propagated, so each request starts a \
                     new trace."
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
        assert_eq!(
            f[0].evidence.get("single_span_traces"),
            Some(&serde_json::json!(3))
        );
    }
}
