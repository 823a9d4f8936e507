//! Lookups every workload's checks make, built once per run: a fleet of thousands of workloads
//! would otherwise scan every other workload or Service for each of them.

use std::collections::HashMap;

use super::Shared;
use crate::deploy::{Deployment, Platform, Role, Service, Workload};

/// Positions in a deployment's workloads and Services, in input order.
#[derive(Debug, Default)]
pub struct Index {
    /// By network group (the pod, or the Compose service a `network_mode` joins).
    groups: HashMap<String, Vec<usize>>,
    /// Workloads on the host network (they share `localhost` across groups).
    host_network: Vec<usize>,
    /// Collectors, agents and backends.
    infra: Vec<usize>,
    /// Services (Kubernetes and Compose) by namespace.
    services: HashMap<String, Vec<usize>>,
    /// Workloads by namespace.
    workloads: HashMap<String, Vec<usize>>,
}

impl Index {
    pub fn new(d: &Deployment) -> Index {
        let mut index = Index::default();
        for (i, w) in d.workloads.iter().enumerate() {
            let group = index.groups.entry(w.network.group.clone()).or_default();
            group.push(i);
            if w.network.host {
                index.host_network.push(i);
            }
            if w.role != Role::App {
                index.infra.push(i);
            }
            let ns = index.workloads.entry(w.namespace.clone()).or_default();
            ns.push(i);
        }
        for (i, s) in d.services.iter().enumerate() {
            index
                .services
                .entry(s.namespace.clone())
                .or_default()
                .push(i);
        }
        index
    }
}

/// The positions listed under `key`, none when there is no entry.
fn at<'m>(map: &'m HashMap<String, Vec<usize>>, key: &str) -> &'m [usize] {
    map.get(key).map_or(&[], Vec::as_slice)
}

impl Shared {
    fn workloads_at<'a>(&'a self, at: &'a [usize]) -> impl Iterator<Item = &'a Workload> + Clone {
        at.iter().filter_map(|&i| self.deployment.workloads.get(i))
    }

    /// The workloads sharing `w`'s `localhost` ([`Workload::shares_network_with`]: the same
    /// group, or both on the host network), `w` included, in input order.
    pub fn network(&self, w: &Workload) -> Vec<&Workload> {
        let mut found = at(&self.index.groups, &w.network.group).to_vec();
        if w.network.host {
            found.extend(&self.index.host_network);
            found.sort_unstable();
            found.dedup();
        }
        (found.iter())
            .filter_map(|&i| self.deployment.workloads.get(i))
            .filter(|o| o.shares_network_with(w))
            .collect()
    }

    /// The workloads of `w`'s network group (its pod), `w` included, in input order.
    pub fn group<'a>(&'a self, w: &Workload) -> impl Iterator<Item = &'a Workload> + Clone {
        self.workloads_at(at(&self.index.groups, &w.network.group))
    }

    /// Collectors, agents and backends, in input order.
    pub fn infra(&self) -> impl Iterator<Item = &Workload> + Clone {
        self.workloads_at(&self.index.infra)
    }

    /// The workloads of `namespace`, in input order.
    pub fn workloads_in<'a>(
        &'a self,
        namespace: &str,
    ) -> impl Iterator<Item = &'a Workload> + Clone {
        self.workloads_at(at(&self.index.workloads, namespace))
    }

    /// The Kubernetes Services of `namespace`, in input order.
    pub fn services_in<'a>(&'a self, namespace: &str) -> impl Iterator<Item = &'a Service> + Clone {
        (at(&self.index.services, namespace).iter())
            .filter_map(|&i| self.deployment.services.get(i))
            .filter(|s| s.platform == Platform::Kubernetes)
    }

    /// Whether a Service or workload of the input is in `namespace`: the names a host name may
    /// point into.
    pub fn knows_namespace(&self, namespace: &str) -> bool {
        self.index.services.contains_key(namespace) || self.index.workloads.contains_key(namespace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::model::tests::workload;

    #[test]
    fn pods_namespaces_and_the_host_network_are_looked_up_in_input_order() {
        let mut d = Deployment::default();
        let mut sidecar = workload("app");
        sidecar.id = "default/Deployment/app/collector".into();
        sidecar.role = Role::Collector;
        let mut node = workload("agent");
        node.network.host = true;
        node.role = Role::Agent;
        let mut host_app = workload("host-app");
        host_app.network.host = true;
        d.workloads = vec![workload("app"), node, sidecar, workload("other"), host_app];
        let shared = Shared::new(d);
        let d = &shared.deployment;
        let ids = |ws: Vec<&Workload>| ws.iter().map(|w| w.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(shared.network(&d.workloads[0])),
            [
                "default/Deployment/app/app",
                "default/Deployment/app/collector"
            ]
        );
        assert_eq!(
            ids(shared.network(&d.workloads[4])),
            [
                "default/Deployment/agent/agent",
                "default/Deployment/host-app/host-app"
            ]
        );
        assert_eq!(shared.group(&d.workloads[0]).count(), 2);
        assert_eq!(shared.infra().count(), 2);
        assert_eq!(shared.workloads_in("default").count(), 5);
        assert_eq!(shared.workloads_in("prod").count(), 0);
        assert_eq!(shared.services_in("default").count(), 0);
        assert!(shared.knows_namespace("default") && !shared.knows_namespace("prod"));
    }
}
