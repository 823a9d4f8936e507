//! A run as the shared report model, one check per verdict, so `--format github`, `sarif`,
//! `junit` and `markdown` render it like doctor's and analyze's reports.

use std::time::Duration;

use super::catalog::VERDICTS;
use super::run::Outcome;
use crate::report::{CheckResult, Outcome as Result, Report};
use crate::rule::Severity;
use crate::settings::Sdk;

/// What a verdict is decided on.
#[derive(Clone, Copy)]
enum Needs {
    /// The spans the service exports.
    Spans,
    /// The calls it makes downstream.
    Calls,
    /// Both: a downstream call judged against the server span.
    Both,
    /// Either one.
    Either,
}

/// What each verdict of the catalogue is decided on; a test keeps it complete.
const DECIDED_ON: &[(&str, Needs)] = &[
    ("PRP001", Needs::Either),
    ("PRP002", Needs::Calls),
    ("PRP003", Needs::Both),
    ("PRP004", Needs::Calls),
    ("PRP005", Needs::Both),
    ("PRP006", Needs::Spans),
    ("PRP007", Needs::Calls),
    ("PRP008", Needs::Calls),
    ("PRP009", Needs::Spans),
    ("PRP010", Needs::Either),
];

fn needs(id: &str) -> Needs {
    DECIDED_ON
        .iter()
        .find(|(v, _)| *v == id)
        .map_or(Needs::Either, |(_, n)| *n)
}

/// Each verdict: failed with its finding, skipped when the run had nothing to decide it on,
/// passed otherwise.
pub fn report(o: &Outcome, fail_on: Severity) -> Report {
    let checks = VERDICTS
        .iter()
        .map(|v| {
            let findings: Vec<_> = o.findings.iter().filter(|f| f.id == v.id).collect();
            let mut result = CheckResult::new(v.rule(), skipped(o, v.id), Duration::ZERO, None);
            if !findings.is_empty() {
                result.status = crate::report::Status::Fail;
                result.skip_reason = None;
                result.findings = findings.into_iter().cloned().collect();
            }
            result
        })
        .collect();
    Report::new("check-propagation", Sdk::Spec, Vec::new(), checks, fail_on)
}

/// Why `id` could not be decided, as a skipped outcome, or a pass.
fn skipped(o: &Outcome, id: &str) -> Result {
    const NO_SPANS: &str = "no --otlp-grpc, --otlp-http or --query-url: the spans were not read";
    const NO_CALLS: &str = "no --downstream: the calls the service makes were not recorded";
    let (spans, calls) = (o.spans_on, o.recorder.is_some());
    let missing = match needs(id) {
        Needs::Spans | Needs::Both if !spans => Some(NO_SPANS),
        Needs::Calls | Needs::Both if !calls => Some(NO_CALLS),
        Needs::Either if !spans && !calls => Some(NO_SPANS),
        _ => None,
    };
    if let Some(reason) = missing {
        return Result::skip(reason);
    }
    if o.missing_calls > 0 && matches!(needs(id), Needs::Calls | Needs::Both) {
        return Result::skip(format!(
            "{} expected downstream calls never arrived",
            o.missing_calls
        ));
    }
    Result::Pass(Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_says_what_it_is_decided_on() {
        let ids: Vec<&str> = VERDICTS.iter().map(|v| v.id).collect();
        let listed: Vec<&str> = DECIDED_ON.iter().map(|(id, _)| *id).collect();
        assert_eq!(listed, ids);
    }
}
