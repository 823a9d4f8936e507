//! Checks over the spans of a trace export (`tracectl analyze FILE`): clocks, propagation and
//! service names as the traces show them.

pub mod child_before_parent;
pub mod clock_skew;
pub mod duplicate_span_id;
pub mod multiple_roots;
pub mod orphan_spans;
pub mod parent_cycle;
pub mod service_near_duplicate;
pub mod service_unknown;
pub mod single_span_traces;
pub mod zero_parent;

use crate::checks::Context;
use crate::report::{Evidence, Outcome};
use crate::trace::TraceSet;

/// The spans to analyse, or the skip to return when there are none (doctor runs).
fn traces(ctx: &Context) -> Result<&TraceSet, Outcome> {
    ctx.traces
        .as_ref()
        .ok_or_else(|| Outcome::skip("needs a trace export; run `tracectl analyze FILE`"))
}

/// What every trace check looked at.
fn looked_at(set: &TraceSet) -> Evidence {
    Evidence::new()
        .with("traces", set.traces.len())
        .with("spans", set.spans.len())
}

/// Nanoseconds as milliseconds with microsecond precision, for evidence.
fn ms(ns: i64) -> f64 {
    (ns as f64 / 1_000.0).round() / 1_000.0
}

/// `1 span` / `2 spans`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The verb form that agrees with `n`: `one` for 1, `many` otherwise.
fn agree(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn hex_trace(id: u128) -> String {
    format!("{id:032x}")
}

fn hex_span(id: u64) -> String {
    format!("{id:016x}")
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::checks::Check;
    use crate::checks::testing::{context, run_in};
    use crate::report::{Draft, Outcome};
    use crate::settings::Sdk;

    /// Span-line JSON for one span; `parent` "" for a root. Times in ms.
    pub fn line(
        trace: &str,
        span: &str,
        parent: &str,
        service: &str,
        host: &str,
        name: &str,
        (start_ms, end_ms): (u64, u64),
    ) -> String {
        let resource = if host.is_empty() {
            String::new()
        } else {
            format!(r#","resource":{{"host.name":"{host}"}}"#)
        };
        format!(
            r#"{{"service":"{service}","name":"{name}","trace_id":"{trace}","span_id":"{span}","parent_span_id":"{parent}","start_unix_nano":{},"end_unix_nano":{}{resource}}}"#,
            1_700_000_000_000_000_000 + start_ms * 1_000_000,
            1_700_000_000_000_000_000 + end_ms * 1_000_000
        ) + "\n"
    }

    pub fn run(check: &Check, lines: &str) -> Outcome {
        let mut ctx = context(Sdk::Spec, &[]);
        ctx.traces = Some(crate::trace::read(lines.as_bytes()).expect("test input reads"));
        run_in(check, &ctx)
    }

    pub fn findings(check: &Check, lines: &str) -> Vec<Draft> {
        match run(check, lines) {
            Outcome::Findings(f) => f,
            other => panic!("expected findings, got {other:?}"),
        }
    }

    pub fn passes(check: &Check, lines: &str) -> bool {
        matches!(run(check, lines), Outcome::Pass(_))
    }

    proptest::proptest! {
        /// Any ids, parents and times (extremes included) give an outcome and a tree, never a
        /// panic.
        #[test]
        fn no_span_input_panics(
            spans in proptest::collection::vec(
                (0u8..3, 0u8..6, 0u8..7, 0u8..3, proptest::num::u64::ANY, proptest::num::u64::ANY),
                1..24,
            )
        ) {
            let mut input = String::new();
            for (trace, span, parent, host, start, end) in spans {
                let parent = match parent {
                    0 => String::new(),
                    6 => "0000000000000000".to_string(),
                    p => format!("{p:02}"),
                };
                input.push_str(&format!(
                    r#"{{"service":"s{host}","name":"n","trace_id":"{trace:02}","span_id":"{span:02}","parent_span_id":"{parent}","start_unix_nano":{start},"end_unix_nano":{end},"resource":{{"host.name":"h{host}"}}}}"#
                ));
                input.push('\n');
            }
            let set = crate::trace::read(input.as_bytes()).expect("reads");
            for i in 0..set.traces.len() {
                crate::trace::tree::lines(&set, i);
            }
            let mut ctx = context(Sdk::Spec, &[]);
            ctx.traces = Some(set);
            let trace_checks = crate::registry::CHECKS
                .iter()
                .filter(|c| c.needs == crate::checks::Needs::Traces);
            for check in trace_checks {
                run_in(check, &ctx);
            }
        }
    }

    /// One healthy two-service trace.
    pub fn healthy() -> String {
        line("a1", "01", "", "frontend", "h1", "GET /", (0, 100))
            + &line("a1", "02", "01", "cart", "h2", "GetCart", (10, 60))
            + &line("a1", "03", "02", "cart", "h2", "SELECT", (20, 30))
    }
}
