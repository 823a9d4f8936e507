//! Helpers for the Compose checks' tests: a project written to a temporary directory, read as
//! `doctor --compose` reads it, and a check run for one service.

use std::sync::Arc;

use super::Shared;
use super::testing::ctx;
use crate::checks::Check;
use crate::checks::testing::run_in;
use crate::deploy::compose::{Options, read};
use crate::report::{Draft, Outcome};

/// A project on disk; the directory lives as long as this.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub shared: Arc<Shared>,
}

/// Writes `files` (name, text) and reads the ones named in `compose`, in order, with no shell
/// variables.
pub fn project(files: &[(&str, &str)], compose: &[&str]) -> Project {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write fixture");
    }
    let options = Options {
        files: compose.iter().map(|f| dir.path().join(f)).collect(),
        process_env: Some(Vec::new()),
        ..Options::default()
    };
    let shared = Arc::new(Shared::new(read(&options).1));
    Project { dir, shared }
}

/// A one-file project (`compose.yaml`).
pub fn compose(text: &str) -> Project {
    project(&[("compose.yaml", text)], &["compose.yaml"])
}

/// Runs `check` for service `service` (`None`: across services).
pub fn run(check: &Check, p: &Project, service: Option<&str>) -> Outcome {
    let index = service.map(|s| {
        p.shared
            .deployment
            .workloads
            .iter()
            .position(|w| w.id == s)
            .unwrap_or_else(|| panic!("no service {s}"))
    });
    let suffix = index.map(|i| p.shared.deployment.workloads[i].id.clone());
    run_in(check, &ctx(&p.shared, suffix.as_deref(), None))
}

/// The findings, panicking on anything else.
pub fn findings(check: &Check, p: &Project, service: Option<&str>) -> Vec<Draft> {
    match run(check, p, service) {
        Outcome::Findings(d) => d,
        other => panic!("{} found nothing: {other:?}", check.id),
    }
}

/// Whether `check` passes (panicking with the findings when it does not).
pub fn passes(check: &Check, p: &Project, service: Option<&str>) -> bool {
    match run(check, p, service) {
        Outcome::Pass(_) => true,
        Outcome::Findings(d) => panic!("{} found {d:#?}", check.id),
        Outcome::Skipped(r) => panic!("{} skipped: {r}", check.id),
    }
}
