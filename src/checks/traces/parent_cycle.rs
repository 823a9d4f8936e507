use super::{hex_span, hex_trace, looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::parents::cycles;

pub static CHECK: Check = Check {
    id: "TRC009",
    name: "parent-cycle",
    family: Family::TracePropagation,
    severity: Severity::Error,
    title: "No span is its own ancestor",
    explanation: Explanation {
        checks: "Parent links that come back to where they started: a span that names itself as \
                 its parent, or A's parent is B while B's parent is A (a cycle of any length).",
        why: "No SDK produces a cycle: a span's parent exists before the span does. A cycle comes \
              from a hand-written propagator or proxy that writes the outgoing span id into the \
              parent field, or that reuses the incoming span id for its own span. Tracing UIs \
              cannot draw such a trace: the spans in the cycle have no root to hang from and \
              vanish or loop.",
        fix: "Create each span with the SDK's propagator (`extract` the incoming context, start \
              the span from it, `inject` the new span's context): a span's own id must never be \
              sent as, or copied into, a parent id.",
        example: "trace 4bf92f…: checkout 00f067aa… → cart 53995c3f… → checkout 00f067aa…",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

/// The spans of a cycle named in the message; longer cycles say how many more.
const NAMED: usize = 4;

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let mut affected = 0;
    let mut spans = 0;
    let mut example: Option<(u128, Vec<String>, usize)> = None;
    for trace in set.traces() {
        let found = cycles(trace);
        if found.is_empty() {
            continue;
        }
        affected += 1;
        spans += found.iter().map(Vec::len).sum::<usize>();
        example.get_or_insert_with(|| {
            let cycle = &found[0];
            let named = cycle
                .iter()
                .chain(cycle.first())
                .take(NAMED + 1)
                .map(|&i| {
                    let s = &trace[i];
                    format!(
                        "{} {} {}",
                        set.service(s),
                        set.str(s.name),
                        hex_span(s.span_id)
                    )
                })
                .collect();
            (trace[0].trace_id, named, cycle.len())
        });
    }
    let Some((trace, named, length)) = example else {
        return Outcome::Pass(looked_at(set));
    };
    let path = match length {
        1 => format!("{} is its own parent", named[0]),
        n if n <= NAMED => named.join(" → "),
        n => format!("{} → … ({} more)", named[..NAMED].join(" → "), n - NAMED),
    };
    let mut draft = Draft::new(
        format!("trace {}", hex_trace(trace)),
        format!(
            "{affected} of {} traces have a parent cycle, {} in all (this one: {path}): \
             a span id was written into a parent field by hand.",
            set.traces.len(),
            super::count(spans, "span")
        ),
        "Start and propagate spans with the SDK's propagator (extract, start from the context, \
         inject); never copy a span's own id into a parent id.",
    );
    draft.evidence = Evidence::new()
        .with("traces_with_cycles", affected)
        .with("spans_in_cycles", spans)
        .with("cycle_length", length);
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_on_a_tree() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn names_a_two_span_cycle() {
        let input = healthy()
            + &line("b2", "0a", "0b", "checkout", "h1", "pay", (0, 10))
            + &line("b2", "0b", "0a", "cart", "h2", "add", (1, 9));
        let f = findings(&CHECK, &input);
        assert_eq!(f[0].subject, format!("trace {:032x}", 0xb2));
        assert!(
            f[0].message.contains(
                "checkout pay 000000000000000a → cart add 000000000000000b → checkout pay"
            ),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.starts_with("1 of 2 traces"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn names_a_span_that_is_its_own_parent() {
        let input = line("c3", "07", "07", "gateway", "h1", "proxy", (0, 10));
        let f = findings(&CHECK, &input);
        assert!(
            f[0].message
                .contains("gateway proxy 0000000000000007 is its own parent"),
            "{}",
            f[0].message
        );
    }
}
