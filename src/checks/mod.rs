//! The check contract and the checks themselves, one folder per family, one file per check.
//!
//! A check is a `static` [`Check`]: stable id, kebab-case name, family, default severity, title,
//! explanation, what it needs, and a `run` function that returns data and never prints.
//! To add one: write `src/checks/<family>/<name>.rs` with a `pub static CHECK`, declare the module in
//! the family's `mod.rs`, and add one line to [`crate::registry::CHECKS`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::report::Outcome;
use crate::rule::{Explanation, Family, Needs, Rule, Severity};

pub use context::Context;

mod context;
#[cfg(test)]
pub mod testing;

pub mod agent;
pub mod clock;
pub mod collector;
pub mod deploy;
pub mod e2e;
pub mod endpoint;
pub mod exporter;
mod facts;
pub mod headers;
pub mod jaeger;
pub mod java;
mod known_values;
pub mod live;
pub mod localhost;
pub mod mesh;
pub mod operator;
pub mod protocol;
pub mod reachability;
pub mod sampler;
pub mod service_name;
pub mod spring;
pub mod traces;

pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// How a check runs.
#[derive(Clone, Copy)]
pub enum Run {
    /// Pure computation over the context (settings checks).
    Sync(fn(&Context) -> Outcome),
    /// I/O; must respect [`Context::deadline`].
    Async(for<'a> fn(&'a Context) -> CheckFuture<'a>),
}

/// One check. Instances are `static`s listed in [`crate::registry::CHECKS`].
pub struct Check {
    /// Stable code, e.g. `SVC001`. Never reused.
    pub id: &'static str,
    /// Stable kebab-case name, e.g. `service-name-unset`.
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// One line, shown in lists and as the heading of its doc page.
    pub title: &'static str,
    pub explanation: Explanation,
    pub needs: Needs,
    pub run: Run,
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Check {
    /// The check's identity as a rule.
    pub fn rule(&self) -> Rule {
        Rule {
            id: self.id,
            name: self.name,
            family: self.family,
            severity: self.severity,
            title: self.title,
            explanation: self.explanation,
            needs: self.needs,
            docs_dir: "docs/checks",
        }
    }

    /// Relative path of the generated doc page.
    pub fn docs_path(&self) -> String {
        self.rule().docs_path()
    }
}
