//! What every check receives: the resolved settings, the run's deadline and options.

use tokio::time::Instant;

use crate::collector::ConfigFile;
use crate::settings::Settings;
use crate::trace::TraceSet;

pub struct Context {
    pub settings: Settings,
    /// Every network operation of the run must finish by this instant.
    pub deadline: Instant,
    /// `--offline`: checks that need the network are skipped by the runner.
    pub offline: bool,
    /// `--collector-config FILE`, parsed (or the syntax error it gave).
    pub collector_config: Option<ConfigFile>,
    /// The spans `tracectl analyze` read, grouped by trace.
    pub traces: Option<TraceSet>,
}

impl Context {
    pub fn new(settings: Settings, deadline: Instant, offline: bool) -> Context {
        Context {
            settings,
            deadline,
            offline,
            collector_config: None,
            traces: None,
        }
    }
}
