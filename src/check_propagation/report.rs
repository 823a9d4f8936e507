//! A run as the shared report model, one check per verdict, so `--format github`, `sarif`,
//! `junit` and `markdown` render it like doctor's and analyze's reports.

use std::time::Duration;

use super::catalog::VERDICTS;
use super::run::Outcome;
use crate::report::{CheckResult, Outcome as Result, Report};
use crate::rule::Severity;
use crate::settings::Sdk;

/// Verdicts read from the spans the service exports.
const FROM_SPANS: [&str; 5] = ["PRP003", "PRP005", "PRP006", "PRP009", "PRP010"];
/// Verdicts read from the calls the service makes downstream.
const FROM_CALLS: [&str; 4] = ["PRP002", "PRP004", "PRP007", "PRP008"];

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
    let spans = !o.spans_on && FROM_SPANS.contains(&id);
    let calls = o.recorder.is_none() && FROM_CALLS.contains(&id);
    let neither = o.recorder.is_none() && !o.spans_on && id == "PRP001";
    if spans || neither {
        return Result::skip("no --otlp-grpc, --otlp-http or --query-url: the spans were not read");
    }
    if calls {
        return Result::skip("no --downstream: the calls the service makes were not recorded");
    }
    if o.missing_calls > 0 && FROM_CALLS.contains(&id) {
        return Result::skip(format!(
            "{} expected downstream calls never arrived",
            o.missing_calls
        ));
    }
    Result::Pass(Default::default())
}
