//! One workload's part of a `doctor --k8s` report: which container, where it is defined, the
//! SDK assumed and why, the settings it would run with, and its checks.

use std::borrow::Cow;

use serde::Serialize;

use super::{CheckResult, Status, Summary};
use crate::rule::Family;
use crate::settings::{Location, Sdk, SettingKind, SettingLine, Source};

/// The SDK whose defaults were applied to a workload, and what showed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SdkChoice {
    pub name: Sdk,
    /// E.g. `JAVA_TOOL_OPTIONS has -javaagent (deploy.yaml:31)`, `--sdk-for shop/*=node`,
    /// `--sdk`; `null` when nothing showed it and the spec's defaults apply.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadReport {
    /// `namespace/kind/name/container` (Kubernetes), the service name (Compose).
    pub id: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub container: String,
    /// `app`, `collector`, `agent` or `backend`.
    pub role: &'static str,
    /// Where the container is defined.
    pub source: Location,
    /// The `helm template` source of its document, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    pub sdk: SdkChoice,
    /// Why only some checks ran, e.g. for a container with no tracing configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub settings: Vec<SettingLine>,
    pub checks: Vec<CheckResult>,
}

/// What views that show findings only (human, GitHub annotations) still need of the checks a
/// fleet run left out of its workloads: their counts, and why the network checks were skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Elided {
    pub summary: Summary,
    /// The reason of the first network check skipped, in workload order.
    pub network_skip: Option<Cow<'static, str>>,
}

impl WorkloadReport {
    /// Whether the OpenTelemetry Operator's injection set any of its variables: the human view
    /// then lists them.
    pub fn shows_injection(&self) -> bool {
        self.settings.iter().any(|s| {
            s.kind == SettingKind::Variable
                && matches!(&s.source, Source::Deployment { origin, .. }
                    if origin.starts_with("Instrumentation ") || origin.starts_with("operator default"))
        })
    }

    /// Keeps only the checks with findings, and the settings only when they show the
    /// operator's injection: a fleet's passing and skipped checks and its settings are most of
    /// its memory, and the views that show findings only never print them. What is dropped is
    /// counted in `elided`.
    pub fn keep_findings_only(&mut self, elided: &mut Elided) {
        if !self.shows_injection() {
            self.settings = Vec::new();
        }
        let (kept, dropped): (Vec<CheckResult>, Vec<CheckResult>) =
            std::mem::take(&mut self.checks)
                .into_iter()
                .partition(|c| c.status == Status::Fail);
        elided.summary.add(&Summary::of(&dropped));
        if elided.network_skip.is_none() {
            elided.network_skip = dropped
                .iter()
                .find(|c| c.status == Status::Skip && c.family == Family::Reachability)
                .and_then(|c| c.skip_reason.clone());
        }
        self.checks = kept;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::report::{Draft, Outcome};

    fn result(family: Family, outcome: Outcome) -> CheckResult {
        let mut rule = crate::registry::rules().next().expect("a rule");
        rule.family = family;
        CheckResult::new(rule, outcome, Duration::ZERO, None)
    }

    fn workload(settings: Vec<SettingLine>, checks: Vec<CheckResult>) -> WorkloadReport {
        WorkloadReport {
            id: "default/Deployment/a/a".into(),
            kind: "Deployment".into(),
            namespace: "default".into(),
            name: "a".into(),
            container: "a".into(),
            role: "app",
            source: Location::new("deploy.yaml", 1),
            template: None,
            sdk: SdkChoice {
                name: Sdk::Spec,
                evidence: None,
            },
            note: None,
            settings,
            checks,
        }
    }

    #[test]
    fn only_failed_checks_stay_and_the_rest_is_counted() {
        let failed = Outcome::Findings(vec![Draft::new("X", "wrong", "fix it")]);
        let mut w = workload(
            Vec::new(),
            vec![
                result(Family::ServiceName, Outcome::Pass(Default::default())),
                result(Family::Reachability, Outcome::skip("offline")),
                result(Family::ServiceName, failed),
                result(Family::Reachability, Outcome::skip("another")),
            ],
        );
        let mut elided = Elided::default();
        w.keep_findings_only(&mut elided);
        assert_eq!(w.checks.len(), 1);
        assert_eq!(w.checks[0].status, Status::Fail);
        let s = elided.summary;
        assert_eq!((s.checks, s.passed, s.skipped, s.failed), (3, 1, 2, 0));
        assert_eq!(elided.network_skip.as_deref(), Some("offline"));
    }

    fn variable(origin: &str) -> SettingLine {
        SettingLine {
            kind: SettingKind::Variable,
            key: "OTEL_EXPORTER_OTLP_ENDPOINT".into(),
            value: "http://collector:4318".into(),
            source: Source::Deployment {
                file: "deploy.yaml".into(),
                line: 9,
                origin: origin.into(),
            },
            var: None,
            note: None,
        }
    }

    #[test]
    fn settings_stay_only_when_they_show_the_operators_injection() {
        for (origin, kept) in [("env", false), ("Instrumentation shop/java", true)] {
            let mut w = workload(vec![variable("env"), variable(origin)], Vec::new());
            assert_eq!(w.shows_injection(), kept);
            w.keep_findings_only(&mut Elided::default());
            assert_eq!(w.settings.len(), if kept { 2 } else { 0 }, "{origin}");
        }
    }
}
