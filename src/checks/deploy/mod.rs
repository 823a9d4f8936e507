//! Checks of a deployment read from files (`doctor --k8s`): where each workload's endpoints
//! lead (Services, ports, the node, the pod itself), values the platform mangles, and the
//! collector each app sends to. Each finding points at the file and line to change.

pub mod compose_host_gateway;
pub mod compose_published_port;
pub mod compose_udp_port;
pub mod compose_unset_variable;
pub mod duplicate_service_name;
pub mod endpoint_not_a_service;
pub mod host_ip_without_host_port;
pub mod index;
pub mod input_problem;
pub mod loopback_in_pod;
pub mod receiver_mismatch;
pub mod selector_matches_nothing;
pub mod service_name_label;
pub mod service_port;
pub mod target;
pub mod unresolved_reference;
pub mod value_whitespace;

use std::collections::HashMap;
use std::sync::Arc;

use tokio::time::Instant;

use super::Context;
use crate::collector::CollectorConfig;
use crate::collector::merge::{Layer, merged};
use crate::collector::yaml::SyntaxError;
use crate::deploy::{Deployment, Role, Workload};
use crate::report::Outcome;
use crate::settings::Settings;

/// What every workload's checks share: the deployment and its collectors' parsed configs.
#[derive(Debug, Default)]
pub struct Shared {
    pub deployment: Deployment,
    /// Parsed configs by collector workload id (its `--config` files merged; lines are the
    /// input's).
    pub configs: HashMap<String, CollectorConfig>,
    /// By collector workload id: the first of its config files that is not valid YAML, and why
    /// (COL001 reports it on that collector).
    pub broken: HashMap<String, (String, SyntaxError)>,
    /// Who shares a workload's network, the Services and workloads of a namespace.
    index: index::Index,
}

/// The deployment and the workload a check runs for.
#[derive(Debug, Clone)]
pub struct Scope {
    pub shared: Arc<Shared>,
    /// Index of the workload checked; `None` for the run across workloads.
    pub workload: Option<usize>,
    /// Whether the workload's SDK is known (inferred, `--sdk-for`, or a `--sdk` other than spec):
    /// without it, a protocol disagreement is only a warning.
    pub sdk_known: bool,
}

impl Shared {
    /// Parses every collector's config files, merged in `--config` order as the collector merges
    /// them, keeping each file's line numbers.
    pub fn new(deployment: Deployment) -> Shared {
        let (mut configs, mut broken) = (HashMap::new(), HashMap::new());
        for input in &deployment.collectors {
            let layers: Vec<Layer> = input
                .configs
                .iter()
                .map(|t| Layer {
                    file: &t.first.file,
                    first_line: t.first.line,
                    text: &t.text,
                })
                .collect();
            match merged(&layers) {
                Ok(config) => {
                    configs.insert(input.workload.clone(), config);
                }
                Err((index, e)) => {
                    let file = layers.get(index).map_or("", |l| l.file).to_string();
                    broken.insert(input.workload.clone(), (file, e));
                }
            }
        }
        Shared {
            index: index::Index::new(&deployment),
            deployment,
            configs,
            broken,
        }
    }

    /// `config` for every collector container the input gives no config of its own
    /// (`--collector-config` with `--k8s` / `--compose`); how many it applies to.
    pub fn default_config(&mut self, config: &CollectorConfig) -> usize {
        let mut applied = 0;
        // A config found in the input that does not parse is still the collector's own.
        for w in &self.deployment.workloads {
            if w.role == Role::Collector && self.deployment.collector_of(&w.id).is_none() {
                self.configs.insert(w.id.clone(), config.clone());
                applied += 1;
            }
        }
        applied
    }
}

/// The context one workload's checks run in: its settings and the shared deployment.
pub fn context(
    shared: &Arc<Shared>,
    workload: Option<usize>,
    settings: Settings,
    sdk_known: bool,
    deadline: Instant,
) -> Context {
    let mut ctx = Context::new(settings, deadline, true);
    ctx.offline_reason = Some(OFFLINE);
    ctx.deploy = Some(Scope {
        shared: Arc::clone(shared),
        workload,
        sdk_known,
    });
    ctx
}

/// Why network checks are skipped for workloads read from files.
pub const OFFLINE: &str = "the names in deployment files resolve only inside the cluster or \
     Compose network; run `tracectl doctor` inside the pod or container (kubectl exec … -- \
     tracectl doctor, docker compose exec … tracectl doctor), or add --probe to try from here";

impl Scope {
    pub fn deployment(&self) -> &Deployment {
        &self.shared.deployment
    }
}

/// The deployment and the workload checked, or the skip outcome outside `doctor --k8s`.
pub fn workload(ctx: &Context) -> Result<(&Scope, &Workload), Outcome> {
    let scope = deployment(ctx)?;
    scope
        .workload
        .and_then(|i| scope.deployment().workloads.get(i))
        .map(|w| (scope, w))
        .ok_or_else(|| Outcome::skip("runs once per workload"))
}

/// Like [`workload`], for checks about instrumented apps: other roles are skipped.
pub fn app(ctx: &Context) -> Result<(&Scope, &Workload), Outcome> {
    let (scope, w) = workload(ctx)?;
    if w.role != Role::App {
        return Err(Outcome::skip(format!(
            "a {} container: judged as what it is, not as an instrumented app",
            w.role.as_str()
        )));
    }
    Ok((scope, w))
}

/// The deployment, or the skip outcome outside `doctor --k8s`.
pub fn deployment(ctx: &Context) -> Result<&Scope, Outcome> {
    ctx.deploy.as_ref().ok_or_else(|| {
        Outcome::skip("needs deployment files: run tracectl doctor --k8s PATH or --compose FILE")
    })
}

#[cfg(test)]
pub mod compose_testing;
#[cfg(test)]
pub mod testing;
