//! What every finding tracectl can report is: a rule with a stable id and kebab name, a family,
//! a default severity, a title and an explanation. Doctor's checks, analyze's checks and listen's
//! diagnoses are all rules. A leaf: imports nothing of the crate.

use std::fmt;

use serde::Serialize;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The mark human output shows: `✗` error, `!` warning, `i` info.
    pub fn mark(self) -> &'static str {
        match self {
            Severity::Info => "i",
            Severity::Warning => "!",
            Severity::Error => "✗",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    Deployment,
    Java,
    Spring,
    Mesh,
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
            Family::Deployment => "deployment",
            Family::Java => "java",
            Family::Spring => "spring",
            Family::Mesh => "mesh",
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
            Family::Deployment => "Deployment files",
            Family::Java => "Java system properties",
            Family::Spring => "Spring Boot properties",
            Family::Mesh => "Service mesh tracing (Istio)",
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

/// What a rule needs to be judged: doctor's checks need settings, the network or a collector
/// config (`--offline` skips those that need the network); analyze's need traces; listen's
/// diagnoses need live traffic.
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
    /// Traffic received by `tracectl listen`: its diagnoses.
    Traffic,
    /// A running service, sent a request by `tracectl check-propagation`: its verdicts.
    Service,
    /// One workload of a deployment read from files (`doctor --k8s`); runs once per workload.
    Workload,
    /// Every workload of a deployment read from files; runs once per run, across workloads.
    Deployment,
}

impl Needs {
    /// Whether only `doctor --k8s` (a deployment read from files) runs checks with this need.
    pub fn deployment_only(self) -> bool {
        matches!(self, Needs::Workload | Needs::Deployment)
    }
}

/// The explanation of a rule, the source of `tracectl explain` and its generated docs page.
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

/// The identity of a rule (a check or a diagnosis), as reports, `explain`, `--list-checks` and the docs generator see it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable code, e.g. `SVC001`. Never reused.
    pub id: &'static str,
    /// Stable kebab-case name, e.g. `service-name-unset`.
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// The healthy condition, one line: shown in lists and as the heading of its doc page.
    pub title: &'static str,
    pub explanation: Explanation,
    pub needs: Needs,
    /// The folder of its generated doc page, e.g. `docs/checks`.
    pub docs_dir: &'static str,
}

/// A rule declared as a static in a feature's catalogue rather than as one of doctor's checks:
/// listen's diagnoses and check-propagation's verdicts. Family, needs and docs folder are the same
/// for a whole catalogue.
#[derive(Debug)]
pub struct Listed {
    /// Stable code, e.g. `LSN001`. Never reused.
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// The healthy condition, as check titles are.
    pub title: &'static str,
    pub explanation: Explanation,
    pub family: Family,
    pub needs: Needs,
    pub docs_dir: &'static str,
}

/// Declares one `Listed` static of a catalogue: `listed!(Family, Needs, "docs/dir"; STATIC,
/// "ID", "name", Severity, "title", checks: "…", why: "…", fix: "…", example: "…")`.
macro_rules! listed {
    ($family:ident, $needs:ident, $docs:literal; $static:ident, $id:literal, $name:literal,
     $severity:ident, $title:literal, checks: $checks:literal, why: $why:literal,
     fix: $fix:literal, example: $example:literal) => {
        pub static $static: $crate::rule::Listed = $crate::rule::Listed {
            id: $id,
            name: $name,
            severity: $crate::rule::Severity::$severity,
            title: $title,
            explanation: $crate::rule::Explanation {
                checks: $checks,
                why: $why,
                fix: $fix,
                example: $example,
            },
            family: $crate::rule::Family::$family,
            needs: $crate::rule::Needs::$needs,
            docs_dir: $docs,
        };
    };
}
pub(crate) use listed;

impl Listed {
    /// The entry as a rule, in the one list `explain`, `--list-checks` and the docs use.
    pub fn rule(&self) -> Rule {
        Rule {
            id: self.id,
            name: self.name,
            family: self.family,
            severity: self.severity,
            title: self.title,
            explanation: self.explanation,
            needs: self.needs,
            docs_dir: self.docs_dir,
        }
    }

    pub fn docs_path(&self) -> String {
        self.rule().docs_path()
    }
}

impl Rule {
    /// Relative path of the generated doc page.
    pub fn docs_path(&self) -> String {
        format!("{}/{}.md", self.docs_dir, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_info_warning_error() {
        assert!(Severity::Info < Severity::Warning);
        assert!(Severity::Warning < Severity::Error);
        assert_eq!(Severity::parse("WARN"), Some(Severity::Warning));
        assert_eq!(Severity::parse("fatal"), None);
    }
}
