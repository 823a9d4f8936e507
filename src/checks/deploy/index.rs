//! Lookups every workload's checks make, built once per run: a fleet of thousands of workloads
//! would otherwise scan every other workload or Service for each of them.

use std::collections::HashMap;

use crate::deploy::{Deployment, Platform, Role, Service, Workload};

/// Indexes into a deployment's workloads and Services, in input order.
#[derive(Debug, Default)]
pub struct Index {
    /// By network group (the pod, or the Compose service a `network_mode` joins).
    groups: HashMap<String, Vec<usize>>,
    /// Workloads on the host network (they share `localhost` across groups).
    host_network: Vec<usize>,
    /// Collectors, agents and backends.
    infra: Vec<usize>,
    /// Kubernetes Services by namespace.
    services: HashMap<String, Vec<usize>>,
    /// Workloads by namespace.
    workloads: HashMap<String, Vec<usize>>,
}

impl Index {
    pub fn new(d: &Deployment) -> Index {
        let mut index = Index::default();
        for (i, w) in d.workloads.iter().enumerate() {
            index
                .groups
                .entry(w.network.group.clone())
                .or_default()
                .push(i);
            if w.network.host {
                index.host_network.push(i);
            }
            if w.role != Role::App {
                index.infra.push(i);
            }
            index
                .workloads
                .entry(w.namespace.clone())
                .or_default()
                .push(i);
        }
        for (i, s) in d.services.iter().enumerate() {
            if s.platform == Platform::Kubernetes {
                index
                    .services
                    .entry(s.namespace.clone())
                    .or_default()
                    .push(i);
            }
        }
        index
    }

    /// The workloads sharing `w`'s `localhost` (the same group, or both on the host network),
    /// `w` included, in input order.
    pub fn network<'a>(&self, d: &'a Deployment, w: &Workload) -> Vec<&'a Workload> {
        let mut found: Vec<usize> = self
            .groups
            .get(&w.network.group)
            .cloned()
            .unwrap_or_default();
        if w.network.host {
            found.extend(self.host_network.iter().copied());
            found.sort_unstable();
            found.dedup();
        }
        found.iter().filter_map(|&i| d.workloads.get(i)).collect()
    }

    /// The workloads of `w`'s network group (its pod), `w` included, in input order.
    pub fn group<'a>(&self, d: &'a Deployment, w: &Workload) -> Vec<&'a Workload> {
        let found = self
            .groups
            .get(&w.network.group)
            .map_or(&[][..], Vec::as_slice);
        found.iter().filter_map(|&i| d.workloads.get(i)).collect()
    }

    /// Collectors, agents and backends, in input order.
    pub fn infra<'a>(&self, d: &'a Deployment) -> impl Iterator<Item = &'a Workload> + Clone {
        let found: Vec<&'a Workload> = self
            .infra
            .iter()
            .filter_map(|&i| d.workloads.get(i))
            .collect();
        found.into_iter()
    }

    /// The Kubernetes Services of `namespace`, in input order.
    pub fn services_in<'a>(
        &self,
        d: &'a Deployment,
        namespace: &str,
    ) -> impl Iterator<Item = &'a Service> + Clone {
        let found = self.services.get(namespace).map_or(&[][..], Vec::as_slice);
        let found: Vec<&'a Service> = found.iter().filter_map(|&i| d.services.get(i)).collect();
        found.into_iter()
    }

    /// The workloads of `namespace`, in input order.
    pub fn workloads_in<'a>(&self, d: &'a Deployment, namespace: &str) -> Vec<&'a Workload> {
        let found = self.workloads.get(namespace).map_or(&[][..], Vec::as_slice);
        found.iter().filter_map(|&i| d.workloads.get(i)).collect()
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
        let index = Index::new(&d);
        let ids = |ws: Vec<&Workload>| ws.iter().map(|w| w.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(index.network(&d, &d.workloads[0])),
            [
                "default/Deployment/app/app",
                "default/Deployment/app/collector"
            ]
        );
        assert_eq!(
            ids(index.network(&d, &d.workloads[4])),
            [
                "default/Deployment/agent/agent",
                "default/Deployment/host-app/host-app"
            ]
        );
        assert_eq!(index.infra(&d).count(), 2);
        assert_eq!(index.workloads_in(&d, "default").len(), 5);
        assert!(index.workloads_in(&d, "prod").is_empty());
        assert_eq!(index.services_in(&d, "default").count(), 0);
    }
}
