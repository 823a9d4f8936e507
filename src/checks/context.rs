//! What every check receives: the resolved settings, the run's deadline and options.

use tokio::time::Instant;

use crate::settings::Settings;
use url::Url;

pub struct Context {
    pub settings: Settings,
    /// Every network operation of the run must finish by this instant.
    pub deadline: Instant,
    /// `--offline`: checks that need the network are skipped by the runner.
    pub offline: bool,
    /// `--e2e --query-url URL`: the Jaeger query service the end-to-end check reads back from.
    pub e2e: Option<Url>,
}

impl Context {
    pub fn new(settings: Settings, deadline: Instant, offline: bool) -> Context {
        Context {
            settings,
            deadline,
            offline,
            e2e: None,
        }
    }

    /// Turns on the end-to-end check, reading back through `query`.
    pub fn with_e2e(mut self, query: Option<Url>) -> Context {
        self.e2e = query;
        self
    }
}
