//! Runs the selected checks concurrently under the run's deadline and collects their results in
//! registry order. Severity overrides are applied here, never inside a check.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::checks::{Check, CheckFuture, Context, Run};
use crate::report::{CheckResult, Outcome, Report};
use crate::rule::{Needs, Severity};

/// How a run is configured beyond the check selection.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The subcommand running the checks, recorded in the report.
    pub command: &'static str,
    /// `--severity ID=level`, keyed by check id.
    pub severity_overrides: HashMap<&'static str, Severity>,
    pub fail_on: Option<Severity>,
}

/// A check on its way: a spawned task, a synchronous check run in place, or a network check
/// an offline run skips (no task for it: a fleet run skips thousands).
enum Pending {
    Task(tokio::task::JoinHandle<(Outcome, Duration)>),
    Here(fn(&Context) -> Outcome),
    Skipped(Outcome),
}

/// Runs `checks` in `ctx` and builds the report.
pub async fn run(ctx: Arc<Context>, checks: &[&'static Check], options: &RunOptions) -> Report {
    // Async checks start first and run while the synchronous ones (pure functions of the
    // context, done in microseconds) run here, with no task of their own.
    let pending: Vec<Pending> = checks
        .iter()
        .map(|&check| match (offline(check, &ctx), check.run) {
            (Some(skip), _) => Pending::Skipped(skip),
            (None, Run::Sync(f)) => Pending::Here(f),
            (None, Run::Async(f)) => {
                let ctx = Arc::clone(&ctx);
                Pending::Task(tokio::spawn(async move {
                    let started = Instant::now();
                    let outcome = run_async(f, &ctx).await;
                    (outcome, started.elapsed())
                }))
            }
        })
        .collect();
    let mut results = Vec::with_capacity(checks.len());
    for (&check, pending) in checks.iter().zip(pending) {
        let done = match pending {
            Pending::Task(task) => task.await.map_err(|e| e.to_string()),
            Pending::Here(f) => {
                let started = Instant::now();
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&ctx)))
                    .map(|o| (o, started.elapsed()))
                    .map_err(|_| "it panicked".to_string())
            }
            Pending::Skipped(skip) => Ok((skip, Duration::ZERO)),
        };
        let (outcome, elapsed) = match done {
            Ok(done) => done,
            Err(e) => (
                Outcome::skip(format!(
                    "the check stopped unexpectedly ({e}); please report this as a tracectl bug"
                )),
                Duration::ZERO,
            ),
        };
        let severity = options.severity_overrides.get(check.id).copied();
        results.push(CheckResult::new(check.rule(), outcome, elapsed, severity));
    }
    let settings = ctx.settings.summary();
    Report::new(
        options.command,
        ctx.settings.sdk,
        settings,
        results,
        options.fail_on.unwrap_or(Severity::Error),
    )
}

/// The skip of a network check in an offline run.
fn offline(check: &'static Check, ctx: &Context) -> Option<Outcome> {
    (ctx.offline && check.needs == Needs::Network).then(|| {
        Outcome::skip(
            ctx.offline_reason
                .unwrap_or("needs the network; skipped because of --offline"),
        )
    })
}

/// An I/O check under the run's deadline.
async fn run_async(f: for<'a> fn(&'a Context) -> CheckFuture<'a>, ctx: &Context) -> Outcome {
    match tokio::time::timeout_at(ctx.deadline, f(ctx)).await {
        Ok(outcome) => outcome,
        Err(_) => Outcome::skip(
            "did not finish before the --timeout deadline; raise --timeout to give it longer",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::context;
    use crate::report::Status;
    use crate::rule::{Explanation, Family};
    use crate::settings::Sdk;

    fn panics(_: &Context) -> Outcome {
        panic!("a bug in a check")
    }

    static PANICS: Check = Check {
        id: "TST001",
        name: "test-panics",
        family: Family::ServiceName,
        severity: Severity::Error,
        title: "A check that panics",
        explanation: Explanation {
            checks: "",
            why: "",
            fix: "",
            example: "",
        },
        needs: Needs::Settings,
        run: Run::Sync(panics),
    };

    #[tokio::test]
    async fn a_synchronous_check_that_panics_is_a_skip_naming_a_bug() {
        let options = RunOptions {
            command: "doctor",
            severity_overrides: HashMap::new(),
            fail_on: None,
        };
        let ctx = Arc::new(context(Sdk::Spec, &[]));
        let report = run(ctx, &[&PANICS], &options).await;
        let result = &report.checks[0];
        assert_eq!(result.status, Status::Skip);
        let reason = result.skip_reason.as_deref().unwrap_or_default();
        assert!(
            reason.contains("stopped unexpectedly (it panicked)"),
            "{reason}"
        );
    }
}
