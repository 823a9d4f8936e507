use std::collections::BTreeMap;

use super::{hex_span, hex_trace, looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::{Parent, index_by_id};

pub static CHECK: Check = Check {
    id: "TRC004",
    name: "orphan-spans",
    family: Family::TracePropagation,
    severity: Severity::Warning,
    title: "Every parent span id is present in its trace",
    explanation: Explanation {
        checks: "Spans whose parent span id is not the id of any span of the same trace.",
        why: "The parent was never exported or never reached this backend: its service is not \
              instrumented (a proxy that forwards `traceparent` without creating spans is fine, \
              but then its caller's span must arrive), its exporter fails, its spans are sampled \
              out by a different sampler, or it exited before flushing. Jaeger shows such spans as \
              extra roots and skips clock-skew adjustment for them.",
        fix: "Find the service that owns the missing parent (the caller of the orphan's service), \
              check its exporter and that it flushes on shutdown, and use a parent-based sampler \
              (OTEL_TRACES_SAMPLER=parentbased_traceidratio) everywhere.",
        example: "cart: GetCart  parent 00f067aa0ba902b7 not in trace 4bf92f3577b34da6a3ce929d0e0e4736",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

/// An orphan: its trace, its id and the id of its missing parent.
type Example = (u128, u64, u64);

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    // service -> (orphan spans, traces with orphans, example)
    let mut by_service: BTreeMap<&str, (usize, usize, Example)> = BTreeMap::new();
    for trace in set.traces() {
        let index = index_by_id(trace);
        let mut counted: Vec<&str> = Vec::new();
        for span in trace {
            let Parent::Id(parent) = span.parent else {
                continue;
            };
            if index.contains_key(&parent) {
                continue;
            }
            let service = set.service(span);
            let entry =
                by_service
                    .entry(service)
                    .or_insert((0, 0, (span.trace_id, span.span_id, parent)));
            entry.0 += 1;
            if !counted.contains(&service) {
                counted.push(service);
                entry.1 += 1;
            }
        }
    }
    let drafts = by_service
        .into_iter()
        .map(|(service, (spans, traces, (trace, span, parent)))| {
            Draft::new(
                service,
                format!(
                    "{} of {service} in {} {} a parent that is not in the trace: the caller's \
                     span was never exported or never arrived.",
                    super::count(spans, "span"),
                    super::count(traces, "trace"),
                    super::agree(spans, "names", "name")
                ),
                format!(
                    "Check that the service calling {service} is instrumented, exports to the same \
                     backend and flushes on shutdown; use OTEL_TRACES_SAMPLER=parentbased_traceidratio."
                ),
            )
            .evidence("orphans", spans)
            .evidence("traces", traces)
            .evidence("example_trace", hex_trace(trace))
            .evidence("example_span", hex_span(span))
            .evidence("missing_parent", hex_span(parent))
        })
        .collect();
    Outcome::from_drafts(drafts, looked_at(set))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_when_every_parent_is_present() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn flags_spans_whose_parent_is_missing() {
        let input = healthy() + &line("a1", "04", "77", "cart", "h2", "GetCart", (10, 20));
        let f = findings(&CHECK, &input);
        assert_eq!(f[0].subject, "cart");
        assert_eq!(
            f[0].evidence.get("missing_parent"),
            Some(&serde_json::json!("0000000000000077"))
        );
    }
}
