//! Objects with a pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
//! CronJob, and any kind with `spec.template.spec.containers`) as workloads, one per container.

use super::collector;
use super::documents::Object;
use super::env::{self, Pod};
use super::store::Store;
use crate::collector::yaml::{Node, Value};
use crate::deploy::{
    CollectorInput, Network, Platform, Port, Problem, Role, Transport, Workload, role,
};

/// A pod template: the object's metadata for Pods, else `spec.template` (`spec.jobTemplate…`
/// for CronJobs). `None` for objects without one.
pub fn template(object: &Object) -> Option<(&Node, &Node)> {
    let spec = object.node.get("spec")?;
    let (metadata, pod_spec) = match object.kind() {
        "Pod" => (object.node.get("metadata"), spec),
        "CronJob" => {
            let t = spec.get("jobTemplate")?.get("spec")?.get("template")?;
            (t.get("metadata"), t.get("spec")?)
        }
        _ => {
            let t = spec.get("template")?;
            (t.get("metadata"), t.get("spec")?)
        }
    };
    pod_spec.get("containers")?;
    static EMPTY: Node = Node {
        line: 0,
        value: Value::Null,
    };
    Some((metadata.unwrap_or(&EMPTY), pod_spec))
}

pub fn pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(|n| {
        n.entries()
            .iter()
            .map(|(k, v)| (k.text.to_string(), v.as_str().unwrap_or("").to_string()))
            .collect()
    })
    .unwrap_or_default()
}

pub fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// What reading pod templates adds to the deployment.
#[derive(Default)]
pub struct Found {
    pub workloads: Vec<Workload>,
    pub collectors: Vec<CollectorInput>,
    pub problems: Vec<Problem>,
}

/// Adds the workloads of `object` (none if it has no pod template) and the configs of its
/// collector containers to `found`.
pub fn read(object: &Object, namespace: &str, store: &Store, found: &mut Found) {
    let Some((metadata, spec)) = template(object) else {
        return;
    };
    let name = object.name().unwrap_or("").to_string();
    let kind = object.kind().to_string();
    let labels = pairs(metadata.get("labels"));
    let annotations = pairs(metadata.get("annotations"));
    let host = spec.get("hostNetwork").and_then(Node::as_str) == Some("true");
    let group = format!("{namespace}/{kind}/{name}");
    let pod = Pod {
        object,
        namespace,
        name: (kind == "Pod").then_some(name.as_str()),
        labels: &labels,
        annotations: &annotations,
    };
    let containers = seq(spec.get("containers")).iter().map(|c| (c, false));
    let inits = seq(spec.get("initContainers")).iter().map(|c| (c, true));
    for (c, init) in containers.chain(inits) {
        let Some(container) = c.get("name").and_then(Node::as_str) else {
            continue;
        };
        let container = container.to_string();
        {
            let id = format!("{group}/{container}");
            let image = c.get("image").and_then(Node::as_str).map(str::to_string);
            let command = words(c.get("command"));
            let args = words(c.get("args"));
            let role = role::recognise(image.as_deref(), &command);
            let env = env::resolve(c, &pod, store, &id, &mut found.problems);
            let ports = ports(c, object, host);
            if role == Role::Collector {
                found
                    .collectors
                    .extend(collector::input(&id, c, spec, namespace, store));
            }
            found.workloads.push(Workload {
                id,
                platform: Platform::Kubernetes,
                kind: kind.clone(),
                namespace: namespace.to_string(),
                name: name.clone(),
                container,
                init,
                image,
                command,
                args,
                source: object.at(c.entry("name").map_or(c.line, |(k, _)| k.line)),
                template: object.template.clone(),
                env,
                ports,
                role,
                network: Network {
                    group: group.clone(),
                    host,
                },
                labels: labels.clone(),
                annotations: annotations.clone(),
                hosts: Vec::new(),
                mounted: if role == Role::App {
                    collector::mounted_files(c, spec, namespace, store)
                } else {
                    Vec::new()
                },
                jvm: None,
                injected: None,
            });
        }
    }
}

fn words(node: Option<&Node>) -> Vec<String> {
    seq(node)
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

fn ports(container: &Node, object: &Object, host_network: bool) -> Vec<Port> {
    let mut ports: Vec<Port> = seq(container.get("ports"))
        .iter()
        .filter_map(|p| {
            let number = |key: &str| p.get(key)?.as_str()?.parse::<u16>().ok();
            let container_port = number("containerPort")?;
            let host_port = number("hostPort").or(host_network.then_some(container_port));
            Some(Port {
                container_port,
                host_port,
                host_ip: p.get("hostIP").and_then(Node::as_str).map(str::to_string),
                transport: p
                    .get("protocol")
                    .and_then(Node::as_str)
                    .and_then(Transport::parse)
                    .unwrap_or(Transport::Tcp),
                name: p.get("name").and_then(Node::as_str).map(str::to_string),
                source: object.at(p.line),
            })
        })
        .collect();
    // Kept for the whole run, one list per container: no room to spare.
    ports.shrink_to_fit();
    ports
}
