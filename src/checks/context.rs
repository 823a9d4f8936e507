//! What every check receives: the resolved settings, the run's deadline and options.

use tokio::time::Instant;

use crate::checks::live::Live;
use crate::collector::ConfigFile;
use crate::probe;
use crate::settings::Settings;
use crate::trace::TraceSet;
use url::Url;

pub struct Context {
    pub settings: Settings,
    /// Every network operation of the run must finish by this instant.
    pub deadline: Instant,
    /// `--offline`: checks that need the network are skipped by the runner.
    pub offline: bool,
    /// Probe results shared by the network checks: each endpoint is probed once per run.
    pub probes: probe::Cache,
    /// What the live checks probe besides the settings: `--scan`, `--endpoint`, `--ntp-server`.
    pub live: Live,
    /// `--collector-config FILE`, parsed (or the syntax error it gave).
    pub collector_config: Option<ConfigFile>,
    /// The spans `tracectl analyze` read, grouped by trace.
    pub traces: Option<TraceSet>,
    /// `--e2e --query-url URL`: the Jaeger query service the end-to-end check reads back from.
    pub e2e: Option<Url>,
    /// `doctor --k8s`: the deployment read from files and the workload being checked.
    pub deploy: Option<crate::checks::deploy::Scope>,
    /// Spring Boot's tracing properties (`--spring-config`, their environment form), when the
    /// app shows any.
    pub spring: Option<crate::spring::Spring>,
    /// Why checks that need the network are skipped when `offline` is set (default: `--offline`).
    pub offline_reason: Option<&'static str>,
}

impl Context {
    pub fn new(settings: Settings, deadline: Instant, offline: bool) -> Context {
        Context {
            settings,
            deadline,
            offline,
            probes: probe::Cache::default(),
            live: Live::new(deadline),
            collector_config: None,
            traces: None,
            e2e: None,
            deploy: None,
            spring: None,
            offline_reason: None,
        }
    }

    /// Turns on the end-to-end check, reading back through `query`.
    pub fn with_e2e(mut self, query: Option<Url>) -> Context {
        self.e2e = query;
        self
    }
}
