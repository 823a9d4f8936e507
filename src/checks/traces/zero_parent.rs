use std::collections::BTreeMap;

use super::{hex_span, hex_trace, looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::Parent;

pub static CHECK: Check = Check {
    id: "TRC005",
    name: "zero-parent-id",
    family: Family::TracePropagation,
    severity: Severity::Warning,
    title: "No span has an all-zero parent id",
    explanation: Explanation {
        checks: "Spans whose parent span id is present but all zeros (`0000000000000000`).",
        why: "An all-zero id is invalid in W3C Trace Context, B3 and Jaeger alike: the span was \
              started from an empty or invalid context (a header that was parsed wrongly, or a \
              propagator that fills a default). It starts its own root instead of joining the \
              caller's trace.",
        fix: "Make every service use the same propagator (OTEL_PROPAGATORS) and check the incoming \
              header with `tracectl` before the span is created; a root span must have no parent \
              id at all.",
        example: "gateway: proxy  parentSpanId 0000000000000000",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let mut by_service: BTreeMap<&str, (usize, (u128, u64))> = BTreeMap::new();
    for span in set.spans.iter().filter(|s| s.parent == Parent::Zero) {
        let entry = by_service
            .entry(set.service(span))
            .or_insert((0, (span.trace_id, span.span_id)));
        entry.0 += 1;
    }
    let drafts = by_service
        .into_iter()
        .map(|(service, (count, (trace, span)))| {
            Draft::new(
                service,
                format!(
                    "{} of {service} {} the all-zero parent id: started from an invalid \
                     propagated context.",
                    super::count(count, "span"),
                    super::agree(count, "carries", "carry")
                ),
                "Use the same OTEL_PROPAGATORS in every service; a root span must have no parent \
                 id, not zeros.",
            )
            .evidence("spans", count)
            .evidence("example_trace", hex_trace(trace))
            .evidence("example_span", hex_span(span))
        })
        .collect();
    Outcome::from_drafts(drafts, looked_at(set))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_without_zero_parents() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn flags_zero_parent_ids() {
        let input = line(
            "c1",
            "01",
            "0000000000000000",
            "gateway",
            "h1",
            "proxy",
            (0, 10),
        );
        let f = findings(&CHECK, &input);
        assert_eq!(f[0].subject, "gateway");
    }
}
