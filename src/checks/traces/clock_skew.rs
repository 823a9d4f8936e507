use std::collections::BTreeMap;

use super::{hex_span, hex_trace, looked_at, ms, traces};
use crate::checks::{Check, Context, Run};
use crate::report::{Draft, Outcome};
use crate::rule::{Explanation, Family, Needs, Severity};
use crate::trace::links;

pub static CHECK: Check = Check {
    id: "TRC001",
    name: "clock-skew-between-hosts",
    family: Family::TraceClock,
    severity: Severity::Warning,
    title: "Children on other hosts fall inside their parent's interval",
    explanation: Explanation {
        checks: "Every parent → child link whose spans ran on different hosts (host key `host.id`, \
                 then `host.ip`, then `host.name`; the service name stands in when a span has no \
                 host attribute). A child that starts before or ends after its parent is the \
                 signature of clock skew between the hosts. For each host pair it reports the delta \
                 Jaeger's clock-skew adjuster would compute (the shift that centres the child in \
                 the parent), as count, median and maximum.",
        why: "Each span's timestamps come from its own host's clock. Skewed clocks draw children \
              before their parents or past their ends, so latency looks negative or doubled and \
              the critical path is wrong. Jaeger's adjuster is off by default \
              (`--query.max-clock-skew-adjustment=0`), so the UI shows the raw skew.",
        fix: "Synchronise the hosts' clocks (chrony/ntpd against the same NTP source; in \
              Kubernetes, on the nodes). To only correct the display, start Jaeger query with \
              `--query.max-clock-skew-adjustment=500ms` (v2: `max_clock_skew_adjust`).",
        example: "frontend on 10.0.0.1: GET /checkout 12:00:00.100–12:00:00.200\n\
                  cart on 10.0.0.2:     GetCart       12:00:00.040–12:00:00.060   # before its parent",
    },
    needs: Needs::Traces,
    run: Run::Sync(run),
};

#[derive(Default)]
struct Pair {
    links: usize,
    deltas: Vec<i64>,
    example: Option<usize>,
}

fn run(ctx: &Context) -> Outcome {
    let set = match traces(ctx) {
        Ok(s) => s,
        Err(outcome) => return outcome,
    };
    let mut pairs: BTreeMap<(String, String), Pair> = BTreeMap::new();
    for link in links(set).iter().filter(|l| l.cross_host) {
        let (parent, child) = (&set.spans[link.parent], &set.spans[link.child]);
        let pair = pairs
            .entry((set.host_label(parent), set.host_label(child)))
            .or_default();
        pair.links += 1;
        if link.outside {
            pair.deltas.push(link.delta);
            pair.example.get_or_insert(link.child);
        }
    }
    let mut drafts = Vec::new();
    for ((from, to), mut pair) in pairs {
        let Some(example) = pair.example else {
            continue;
        };
        pair.deltas.sort_unstable();
        let median = pair.deltas[pair.deltas.len() / 2];
        let max = pair
            .deltas
            .iter()
            .copied()
            .max_by_key(|d| d.unsigned_abs())
            .unwrap_or(0);
        let span = &set.spans[example];
        drafts.push(
            Draft::new(
                format!("{from} → {to}"),
                format!(
                    "{} of {} child spans on {to} fall outside their parent on {from}: {to}'s \
                     clock looks {} ms {} (median of the shifts Jaeger's adjuster would apply).",
                    pair.deltas.len(),
                    pair.links,
                    ms(median.saturating_abs()),
                    if median > 0 { "behind" } else { "ahead" }
                ),
                format!(
                    "Synchronise the clocks of {from} and {to} with NTP (chrony); to only correct \
                     the display, run Jaeger query with --query.max-clock-skew-adjustment={}ms.",
                    (ms(max.saturating_abs()).ceil() as i64).max(1)
                ),
            )
            .evidence("parent_host", from.clone())
            .evidence("child_host", to.clone())
            .evidence("links", pair.links)
            .evidence("outside", pair.deltas.len())
            .evidence("median_delta_ms", ms(median))
            .evidence("max_delta_ms", ms(max))
            .evidence("example_trace", hex_trace(span.trace_id))
            .evidence("example_span", hex_span(span.span_id)),
        );
    }
    Outcome::from_drafts(drafts, looked_at(set))
}

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::checks::traces::test_support::{findings, healthy, line, passes};

    #[test]
    fn passes_when_children_fit() {
        assert!(passes(&CHECK, &healthy()));
    }

    #[test]
    fn estimates_the_skew_of_a_host_pair() {
        let input = line("a1", "01", "", "frontend", "h1", "GET /", (100, 200))
            + &line("a1", "02", "01", "cart", "h2", "GetCart", (40, 60))
            + &line("b2", "01", "", "frontend", "h1", "GET /", (100, 200))
            + &line("b2", "02", "01", "cart", "h2", "GetCart", (50, 70));
        let f = findings(&CHECK, &input);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject, "h1 → h2");
        assert_eq!(f[0].evidence.get("outside"), Some(&serde_json::json!(2)));
        assert_eq!(
            f[0].evidence.get("median_delta_ms"),
            Some(&serde_json::json!(100.0))
        );
        assert!(f[0].message.contains("behind"), "{}", f[0].message);
    }
}
