//! Helpers for checks' unit tests: run one check against a set of variables.

use std::time::Duration;

use tokio::time::Instant;

use super::{Check, Context, Run};
use crate::report::Outcome;
use crate::settings::{Inputs, Sdk, Settings, Source};

/// A context whose settings hold exactly `vars` (as if from the environment).
pub fn context(sdk: Sdk, vars: &[(&str, &str)]) -> Context {
    let mut inputs = Inputs::default();
    for (k, v) in vars {
        inputs.set(*k, *v, Source::Env);
    }
    let deadline = Instant::now() + Duration::from_secs(3);
    Context::new(Settings::resolve(inputs, sdk), deadline, false)
}

/// Runs `check` with the spec's defaults and `vars` as the environment.
pub fn run_with(check: &Check, vars: &[(&str, &str)]) -> Outcome {
    run_with_sdk(check, Sdk::Spec, vars)
}

/// Runs `check` with `sdk`'s defaults and `vars` as the environment.
pub fn run_with_sdk(check: &Check, sdk: Sdk, vars: &[(&str, &str)]) -> Outcome {
    run_in(check, &context(sdk, vars))
}

/// Runs `check` in `ctx`, driving async checks on a fresh runtime.
pub fn run_in(check: &Check, ctx: &Context) -> Outcome {
    match check.run {
        Run::Sync(f) => f(ctx),
        Run::Async(f) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("test runtime")
            .block_on(f(ctx)),
    }
}

/// The findings of `check` with `sdk`'s defaults and `vars`; panics when it finds nothing.
pub fn findings(check: &Check, sdk: Sdk, vars: &[(&str, &str)]) -> Vec<crate::report::Draft> {
    match run_with_sdk(check, sdk, vars) {
        Outcome::Findings(drafts) => drafts,
        other => panic!("{} found nothing with {vars:?}: {other:?}", check.id),
    }
}

/// Whether `check` passes with `sdk`'s defaults and `vars`.
pub fn passes(check: &Check, sdk: Sdk, vars: &[(&str, &str)]) -> bool {
    matches!(run_with_sdk(check, sdk, vars), Outcome::Pass(_))
}

/// Runs `check` in `ctx` on the caller's runtime (for tests that also run fake peers).
pub async fn run_async(check: &Check, ctx: &Context) -> Outcome {
    match check.run {
        Run::Sync(f) => f(ctx),
        Run::Async(f) => f(ctx).await,
    }
}

/// A context for `vars` whose probes end within `millis`.
pub fn live_context(vars: &[(&str, &str)], millis: u64) -> Context {
    let mut ctx = context(Sdk::Spec, vars);
    ctx.deadline = Instant::now() + Duration::from_millis(millis);
    ctx.live.probe_deadline = ctx.deadline;
    ctx
}
