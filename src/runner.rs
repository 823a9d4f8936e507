//! Runs the selected checks concurrently under the run's deadline and collects their results in
//! registry order. Severity overrides are applied here, never inside a check.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::checks::{Check, Context, Run};
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

/// Runs `checks` in `ctx` and builds the report.
pub async fn run(ctx: Arc<Context>, checks: &[&'static Check], options: &RunOptions) -> Report {
    // Async checks start first and run while the synchronous ones (pure functions of the
    // context, done in microseconds) run here, with no task of their own.
    let tasks: Vec<_> = checks
        .iter()
        .map(|&check| {
            matches!(check.run, Run::Async(_)).then(|| {
                let ctx = Arc::clone(&ctx);
                tokio::spawn(async move {
                    let started = Instant::now();
                    let outcome = run_one(check, &ctx).await;
                    (outcome, started.elapsed())
                })
            })
        })
        .collect();
    let mut results = Vec::with_capacity(checks.len());
    for (&check, task) in checks.iter().zip(tasks) {
        let done = match (task, &check.run) {
            (Some(task), _) => task.await.map_err(|e| e.to_string()),
            (None, Run::Sync(f)) => {
                let started = Instant::now();
                let outcome = offline(check, &ctx).map_or_else(
                    || std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&ctx))),
                    Ok,
                );
                outcome
                    .map(|o| (o, started.elapsed()))
                    .map_err(|_| "it panicked".to_string())
            }
            (None, Run::Async(_)) => Err("it was not started".to_string()),
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
                .as_deref()
                .unwrap_or("needs the network; skipped because of --offline"),
        )
    })
}

async fn run_one(check: &'static Check, ctx: &Context) -> Outcome {
    if let Some(skip) = offline(check, ctx) {
        return skip;
    }
    match check.run {
        Run::Sync(f) => f(ctx),
        Run::Async(f) => match tokio::time::timeout_at(ctx.deadline, f(ctx)).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::skip(
                "did not finish before the --timeout deadline; raise --timeout to give it longer",
            ),
        },
    }
}
