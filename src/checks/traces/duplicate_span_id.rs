use super::{hex_span, hex_trace, looked_at, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::parents::duplicate_ids;

pub static CHECK: Check = Check {
    id: "TRC010",
    name: "duplicate-span-id",
    family: Family::TracePropagation,
    severity: Severity::Warning,
    title: "Every span of a trace has its own span id",
    explanation: Explanation {
        checks: "Span ids held by more than one span of the same trace, telling identical copies \
                 (the same span stored twice) from different spans that share an id.",
        why: "A span id names one span: children find their parent by it. Identical copies mean \
              an exporter retried a batch the backend had already stored, which double-counts \
              the span. Different spans sharing an id mean an id generator that repeats (a \
              seeded or forked random source, ids derived from a counter or a timestamp) or a \
              proxy that forwards the incoming span id as its own: the children of one attach \
              to the other, and the trace shows extra roots.",
        fix: "Copies: let the backend deduplicate, or lower the exporter's retries when the \
              backend is slow to answer. Shared ids: create spans with the SDK, whose ids come \
              from a random source reseeded per process, and never reuse an incoming span id \
              for a new span.",
        example: "trace 4bf92f…: span 00f067aa0ba902b7 held by cart GetCart and cart SELECT",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let (mut copies, mut shared, mut affected) = (0, 0, 0);
    let mut example: Option<(u128, u64, Vec<String>, bool)> = None;
    for trace in set.traces() {
        let dups = duplicate_ids(trace);
        if dups.is_empty() {
            continue;
        }
        affected += 1;
        for (id, holders) in dups {
            let first = trace[holders[0]];
            let identical = holders.iter().all(|&i| trace[i] == first);
            if identical {
                copies += 1;
            } else {
                shared += 1;
            }
            if example.as_ref().is_none_or(|e| e.3 && !identical) {
                let names = holders
                    .iter()
                    .take(3)
                    .map(|&i| format!("{} {}", set.service(&trace[i]), set.str(trace[i].name)))
                    .collect();
                example = Some((first.trace_id, id, names, identical));
            }
        }
    }
    let Some((trace, id, names, identical)) = example else {
        return Outcome::Pass(looked_at(set));
    };
    let (what, fix) = if identical {
        (
            "identical copies of one span: an exporter retried a batch that was already stored",
            "Let the backend deduplicate, or lower the exporter's retries when the backend is slow \
             to answer.",
        )
    } else {
        (
            "different spans share one id: an id generator repeats, or a proxy reuses the \
             incoming span id",
            "Create spans with the SDK (random ids per process) and never reuse an incoming span \
             id for a new span.",
        )
    };
    let mut draft = Draft::new(
        format!("trace {}", hex_trace(trace)),
        format!(
            "{affected} of {} traces hold span ids used more than once ({shared} shared by \
             different spans, {copies} stored as identical copies); span {} is held by {}: {what}.",
            set.traces.len(),
            hex_span(id),
            names.join(" and ")
        ),
        fix,
    );
    draft.evidence = Evidence::new()
        .with("traces_with_duplicate_ids", affected)
        .with("ids_shared_by_different_spans", shared)
        .with("ids_of_identical_copies", copies);
    Outcome::Findings(vec![draft])
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_when_every_id_is_used_once() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn tells_different_spans_sharing_an_id() {
        let input = healthy() + &line("a1", "03", "02", "cart", "h2", "UPDATE", (30, 40));
        let f = findings(&CHECK, &input);
        assert!(
            f[0].message
                .contains("span 0000000000000003 is held by cart SELECT and cart UPDATE")
                && f[0].message.contains("different spans share one id"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn tells_identical_copies() {
        let input = healthy() + &line("a1", "02", "01", "cart", "h2", "GetCart", (10, 60));
        let f = findings(&CHECK, &input);
        assert!(
            f[0].message.contains("identical copies"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message
                .contains("0 shared by different spans, 1 stored"),
            "{}",
            f[0].message
        );
    }
}
