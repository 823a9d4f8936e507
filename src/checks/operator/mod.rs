//! Checks of the OpenTelemetry Operator's injection (`doctor --k8s` with Instrumentation objects
//! or `inject-*` annotations): whether the webhook injects at all, into what, and whether what it
//! injects can reach a collector. Each finding points at the annotation or Instrumentation field
//! to change.

pub mod annotation_on_object;
pub mod endpoint_protocol;
pub mod envfrom_overridden;
pub mod https_without_tls;
pub mod injection_skipped;
pub mod localhost_without_sidecar;
pub mod missing_instrumentation;
pub mod no_single_instrumentation;
pub mod sidecar_without_collector;

use super::Context;
use super::deploy::deployment;
use crate::deploy::InjectionIssue;
use crate::report::{Draft, Evidence, Outcome};

/// The findings for one kind of recorded injection issue, each at its line.
pub fn report(ctx: &Context, issue: InjectionIssue) -> Outcome {
    let scope = match deployment(ctx) {
        Ok(s) => s,
        Err(skip) => return skip,
    };
    let d = scope.deployment();
    let drafts = d
        .injections
        .iter()
        .filter(|i| i.issue == issue)
        .map(|i| {
            let subject = i.workload.clone().unwrap_or_else(|| i.location.to_string());
            Draft::new(subject, i.message.clone(), i.fix.clone()).at(i.location.clone())
        })
        .collect();
    let injected = d.workloads.iter().filter(|w| w.injected.is_some()).count();
    Outcome::from_drafts(
        drafts,
        Evidence::new().with("injected containers", injected),
    )
}

#[cfg(test)]
mod testing;
