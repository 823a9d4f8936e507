//! The check contract and the checks themselves, one folder per family, one file per check.
//!
//! A check is a `static` [`Check`]: stable id, kebab-case name, family, default severity, title,
//! explanation, what it needs, and a `run` function that returns data and never prints.
//! To add one: write `src/checks/<family>/<name>.rs` with a `pub static CHECK`, declare the module in
//! the family's `mod.rs`, and add one line to [`crate::registry::CHECKS`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::Serialize;

use crate::report::{Outcome, Severity};

pub use context::Context;

mod context;
#[cfg(test)]
pub mod testing;

pub mod agent;
pub mod clock;
pub mod collector;
pub mod e2e;
pub mod endpoint;
pub mod exporter;
mod facts;
pub mod headers;
pub mod jaeger;
mod known_values;
pub mod live;
pub mod localhost;
pub mod protocol;
pub mod reachability;
pub mod sampler;
pub mod service_name;
pub mod traces;

/// Groups checks in reports and docs. The order here is the order families are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    ServiceName,
    Exporter,
    Sampler,
    Endpoint,
    Headers,
    Jaeger,
    Reachability,
    Protocol,
    JaegerAgent,
    Localhost,
    Clock,
    E2e,
    Listen,
    Collector,
    TraceClock,
    TracePropagation,
    TraceServices,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::ServiceName => "service-name",
            Family::Exporter => "exporter",
            Family::Sampler => "sampler",
            Family::Endpoint => "endpoint",
            Family::Headers => "headers",
            Family::Jaeger => "jaeger",
            Family::Reachability => "reachability",
            Family::Protocol => "protocol",
            Family::JaegerAgent => "jaeger-agent",
            Family::Localhost => "localhost",
            Family::Clock => "clock",
            Family::E2e => "e2e",
            Family::Listen => "listen",
            Family::Collector => "collector",
            Family::TraceClock => "trace-clock",
            Family::TracePropagation => "trace-propagation",
            Family::TraceServices => "trace-services",
        }
    }

    /// Heading for human output.
    pub fn title(self) -> &'static str {
        match self {
            Family::ServiceName => "Service name",
            Family::Exporter => "Exporter and SDK",
            Family::Sampler => "Sampler",
            Family::Endpoint => "Endpoint configuration",
            Family::Headers => "Exporter headers",
            Family::Jaeger => "Legacy Jaeger settings",
            Family::Reachability => "Endpoint reachability",
            Family::Protocol => "Protocol spoken by the endpoint",
            Family::JaegerAgent => "Jaeger agent (UDP)",
            Family::Localhost => "Localhost traps",
            Family::Clock => "Clock",
            Family::E2e => "End-to-end",
            Family::Listen => "Received traffic (tracectl listen)",
            Family::Collector => "Collector configuration",
            Family::TraceClock => "Clocks seen in the traces",
            Family::TracePropagation => "Context propagation seen in the traces",
            Family::TraceServices => "Service names seen in the traces",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a check needs beyond the resolved settings; `--offline` skips checks that need the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Needs {
    /// Only the resolved settings: always runs.
    Settings,
    /// Network access to the endpoints.
    Network,
    /// A collector config file (`doctor --collector-config`); skipped with a reason without one.
    CollectorConfig,
    /// Spans read from a trace export (`tracectl analyze`); only `analyze` runs these checks.
    Traces,
}

/// The explanation of a check, the source of `tracectl explain` and `docs/checks/<ID>.md`.
#[derive(Debug, Clone, Copy)]
pub struct Explanation {
    /// What the check looks at.
    pub checks: &'static str,
    /// Why it matters: what the user would see without it.
    pub why: &'static str,
    /// How to fix what it finds.
    pub fix: &'static str,
    /// A configuration that triggers it, as shell lines or a config snippet.
    pub example: &'static str,
}

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
    /// Relative path of the generated doc page.
    pub fn docs_path(&self) -> String {
        format!("docs/checks/{}.md", self.id)
    }
}
