//! The report: every check's result in registry order, plus the settings they ran against.
//! Renderers (one file per format) turn the same [`Report`] into human, JSON, GitHub, SARIF,
//! JUnit or Markdown output.

mod finding;
pub mod github;
pub mod human;
mod human_deploy;
pub mod json;
pub mod junit;
pub mod locate;
pub mod markdown;
pub mod pipeline;
pub mod rules;
pub mod sarif;
mod workload;

pub use finding::{Draft, Evidence, Outcome};
pub use pipeline::CollectorView;
pub use workload::{Elided, SdkChoice, WorkloadReport};

use std::time::Duration;

use serde::Serialize;

use crate::rule::{Family, Rule, Severity};
use crate::settings::{Location, Sdk, SettingLine};

/// Version of the JSON document's shape; bumped only on incompatible changes (docs/output.md).
pub const SCHEMA_VERSION: u32 = 1;

/// A finding with the identity of the check that produced it and its effective severity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub family: Family,
    pub subject: String,
    pub message: String,
    pub evidence: Evidence,
    pub fix: String,
    pub docs: String,
    /// The file and line to change (deployment findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Finding {
    /// The finding of `rule` from a draft: the rule's identity, the draft's severity if it set
    /// one, else the rule's.
    pub fn of(rule: Rule, draft: Draft) -> Finding {
        Finding {
            id: rule.id,
            name: rule.name,
            severity: draft.severity.unwrap_or(rule.severity),
            family: rule.family,
            subject: draft.subject,
            message: draft.message,
            evidence: draft.evidence,
            fix: draft.fix,
            location: draft.location,
            docs: rule.docs_path(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Skip,
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub id: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub title: &'static str,
    pub status: Status,
    #[serde(serialize_with = "as_millis")]
    pub duration_ms: Duration,
    /// What a passing check looked at.
    #[serde(skip_serializing_if = "Evidence::is_empty")]
    pub evidence: Evidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<std::borrow::Cow<'static, str>>,
    pub findings: Vec<Finding>,
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis().try_into().unwrap_or(u64::MAX))
}

impl CheckResult {
    /// Builds the result of `check` from its outcome, applying a severity override if any.
    pub fn new(
        check: Rule,
        outcome: Outcome,
        duration: Duration,
        severity_override: Option<Severity>,
    ) -> CheckResult {
        let mut result = CheckResult {
            id: check.id,
            name: check.name,
            family: check.family,
            title: check.title,
            status: Status::Pass,
            duration_ms: duration,
            evidence: Evidence::new(),
            skip_reason: None,
            findings: Vec::new(),
        };
        match outcome {
            Outcome::Pass(mut evidence) => {
                // A fleet's report holds tens of thousands of these: no room to spare.
                evidence.shrink_to_fit();
                result.evidence = evidence;
            }
            Outcome::Skipped(reason) => {
                result.status = Status::Skip;
                result.skip_reason = Some(reason);
            }
            Outcome::Findings(drafts) => {
                result.status = Status::Fail;
                result.findings = drafts
                    .into_iter()
                    .map(|d| Finding {
                        id: check.id,
                        name: check.name,
                        severity: severity_override.or(d.severity).unwrap_or(check.severity),
                        family: check.family,
                        subject: d.subject,
                        message: d.message,
                        evidence: d.evidence,
                        fix: d.fix,
                        docs: check.docs_path(),
                        location: d.location,
                    })
                    .collect();
            }
        }
        result
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Workloads checked (`doctor --k8s`); absent otherwise.
    #[serde(skip_serializing_if = "is_zero")]
    pub workloads: usize,
    /// Workloads with a finding at or above `fail_on`.
    #[serde(skip_serializing_if = "is_zero")]
    pub workloads_failed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Everything one `doctor` run found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// The subcommand that produced the report (`doctor`, `analyze`), named in summary lines.
    pub command: &'static str,
    /// The SDK whose defaults were applied (`--sdk`).
    pub sdk: Sdk,
    pub settings: Vec<SettingLine>,
    pub checks: Vec<CheckResult>,
    pub summary: Summary,
    /// The lowest severity that makes the run fail (`--fail-on`).
    pub fail_on: Severity,
    /// Whether any finding is at or above `fail_on`.
    pub failed: bool,
    /// What answered on every endpoint the network checks probed (configured, `--endpoint`,
    /// `--scan`), ordered by host and port.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<EndpointRow>,
    /// What to do about the endpoint table as a whole, e.g. how to start a collector when
    /// nothing answers anywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints_note: Option<String>,
    /// `doctor --k8s`: one entry per container checked; `checks` then holds the checks run
    /// across workloads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workloads: Vec<WorkloadReport>,
    /// The collector config the run read (`--collector-config`), for the pipeline diagram.
    #[serde(skip)]
    pub collector: Option<CollectorView>,
    /// `doctor --k8s` for a findings-only view: what the workloads no longer hold.
    #[serde(skip)]
    pub elided: Elided,
}

/// One probed endpoint in the report's endpoint table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointRow {
    /// `host:port`.
    pub endpoint: String,
    /// `tcp` or `udp`.
    pub transport: &'static str,
    /// What usually listens on this port, for the well-known ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usual: Option<&'static str>,
    /// What answered, or how the probe failed.
    pub answer: String,
    /// Whether something listens (TCP accepted, or UDP not refused).
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Tool {
    pub const CURRENT: Tool = Tool {
        name: "tracectl",
        version: env!("CARGO_PKG_VERSION"),
    };
}

impl Report {
    pub fn new(
        command: &'static str,
        sdk: Sdk,
        settings: Vec<SettingLine>,
        checks: Vec<CheckResult>,
        fail_on: Severity,
    ) -> Report {
        let summary = Summary::of(&checks);
        let failed = fails(&checks, fail_on);
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool::CURRENT,
            command,
            sdk,
            settings,
            checks,
            summary,
            fail_on,
            failed,
            endpoints: Vec::new(),
            endpoints_note: None,
            workloads: Vec::new(),
            collector: None,
            elided: Elided::default(),
        }
    }

    /// Adds the workloads of a `doctor --k8s` run; the summary and verdict then cover them too.
    pub fn with_workloads(mut self, workloads: Vec<WorkloadReport>) -> Report {
        let all = workloads.iter().flat_map(|w| &w.checks).chain(&self.checks);
        self.summary = Summary::of(all);
        self.summary.add(&self.elided.summary);
        self.summary.workloads = workloads.len();
        self.summary.workloads_failed = workloads
            .iter()
            .filter(|w| fails(&w.checks, self.fail_on))
            .count();
        self.failed = self.summary.workloads_failed > 0 || fails(&self.checks, self.fail_on);
        self.workloads = workloads;
        self
    }

    /// Every finding, those of workloads first.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.workloads
            .iter()
            .flat_map(|w| &w.checks)
            .chain(&self.checks)
            .flat_map(|c| &c.findings)
    }

    /// Skipped checks grouped by their reason, reasons in the order they first appear (each
    /// check once, whichever workloads skipped it).
    pub fn skip_reasons(&self) -> Vec<(&str, Vec<&'static str>)> {
        let mut groups: Vec<(&str, Vec<&'static str>)> = Vec::new();
        let all = self
            .workloads
            .iter()
            .flat_map(|w| &w.checks)
            .chain(&self.checks);
        for c in all.filter(|c| c.status == Status::Skip) {
            let reason = c.skip_reason.as_deref().unwrap_or("skipped");
            match groups.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, ids)) if !ids.contains(&c.id) => ids.push(c.id),
                Some(_) => {}
                None => groups.push((reason, vec![c.id])),
            }
        }
        groups
    }
}

impl Summary {
    /// Adds the check and finding counts of `other`.
    fn add(&mut self, other: &Summary) {
        self.checks += other.checks;
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    fn of<'a>(checks: impl IntoIterator<Item = &'a CheckResult>) -> Summary {
        let mut summary = Summary::default();
        for c in checks {
            summary.checks += 1;
            match c.status {
                Status::Pass => summary.passed += 1,
                Status::Fail => summary.failed += 1,
                Status::Skip => summary.skipped += 1,
            }
            for f in &c.findings {
                match f.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
            }
        }
        summary
    }
}

/// Whether any finding of `checks` is at or above `fail_on`.
fn fails(checks: &[CheckResult], fail_on: Severity) -> bool {
    checks
        .iter()
        .flat_map(|c| &c.findings)
        .any(|f| f.severity >= fail_on)
}
