//! One workload's part of a `doctor --k8s` report: which container, where it is defined, the
//! SDK assumed and why, the settings it would run with, and its checks.

use serde::Serialize;

use super::CheckResult;
use crate::settings::{Location, Sdk, SettingLine};

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
