use super::{hex_trace, looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::{Parent, Span};

/// The roots named in the message; the rest are counted.
const NAMED: usize = 5;

pub static CHECK: Check = Check {
    id: "TRC006",
    name: "multiple-roots",
    family: Family::TracePropagation,
    severity: Severity::Warning,
    title: "Every trace has a single root span",
    explanation: Explanation {
        checks: "Traces with more than one span without a parent (no parent id, or an all-zero \
                 one).",
        why: "A trace id shared by several roots means a service reused the incoming trace id but \
              dropped the parent span id (a hand-written propagator, or a header copied \
              partially), so the trace falls apart into disconnected pieces.",
        fix: "Propagate the whole context (`traceparent` carries both ids) with the SDK's \
              propagator instead of copying the trace id by hand.",
        example: "trace 4bf92f…: roots frontend GET /checkout and cart GetCart",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let mut affected = 0;
    let mut example: Option<(u128, Vec<String>, usize)> = None;
    for trace in set.traces() {
        // A root stored twice under one id is TRC010's (a copy), not a second root.
        let mut ids: Vec<u64> = Vec::new();
        let roots: Vec<&Span> = trace
            .iter()
            .filter(|s| matches!(s.parent, Parent::None | Parent::Zero))
            .filter(|s| {
                !ids.contains(&s.span_id) && {
                    ids.push(s.span_id);
                    true
                }
            })
            .collect();
        if roots.len() > 1 {
            affected += 1;
            example.get_or_insert_with(|| {
                let named = roots
                    .iter()
                    .take(NAMED)
                    .map(|s| format!("{} {}", set.service(s), set.str(s.name)))
                    .collect();
                (trace[0].trace_id, named, roots.len())
            });
        }
    }
    let Some((trace, named, count)) = example else {
        return Outcome::Pass(looked_at(set));
    };
    let mut draft = Draft::new(
        format!("trace {}", hex_trace(trace)),
        format!(
            "{affected} of {} traces have several root spans (this one: {}): the trace id was \
             propagated without the parent span id.",
            set.traces.len(),
            match count - named.len() {
                0 => named.join(", "),
                more => format!("{} and {more} more", named.join(", ")),
            }
        ),
        "Propagate the whole context with the SDK's propagator (traceparent carries both ids).",
    );
    draft.evidence = Evidence::new()
        .with("traces_with_several_roots", affected)
        .with("roots", count);
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_with_one_root_per_trace() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn flags_a_trace_with_two_roots() {
        let input = healthy() + &line("a1", "05", "", "cart", "h2", "GetCart", (10, 20));
        let f = findings(&CHECK, &input);
        assert!(f[0].subject.starts_with("trace 000"), "{}", f[0].subject);
        assert!(f[0].message.contains("cart GetCart"));
    }

    #[test]
    fn a_root_stored_twice_is_not_a_second_root() {
        let input = healthy() + &line("a1", "01", "", "frontend", "h1", "GET /", (0, 100));
        assert!(passes(&CHECK, &input));
    }

    #[test]
    fn names_at_most_five_roots() {
        let mut input = healthy();
        for id in 10..20 {
            input += &line("a1", &id.to_string(), "", "cart", "h2", "GetCart", (10, 20));
        }
        let f = findings(&CHECK, &input);
        assert!(f[0].message.contains(" and 6 more)"), "{}", f[0].message);
    }
}
