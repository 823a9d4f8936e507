//! Kubernetes Services: names other workloads connect to, their ports and what they select.

use super::documents::Object;
use super::pod::{pairs, seq};
use crate::collector::yaml::Node;
use crate::deploy::{Backing, Platform, Service, ServicePort, TargetPort, Transport};

/// The Service `object` describes, in `namespace`; `None` for other kinds.
pub fn read(object: &Object, namespace: &str) -> Option<Service> {
    if object.kind() != "Service" {
        return None;
    }
    let name = object.name()?.to_string();
    let spec = object.node.get("spec");
    let get = |key: &str| spec.and_then(|s| s.get(key)).and_then(Node::as_str);
    let ports = seq(spec.and_then(|s| s.get("ports")))
        .iter()
        .filter_map(|p| {
            let port = p.get("port")?.as_str()?.parse::<u16>().ok()?;
            let target = match p.get("targetPort").and_then(Node::as_str) {
                Some(t) => match t.parse::<u16>() {
                    Ok(n) => TargetPort::Number(n),
                    Err(_) => TargetPort::Name(t.to_string()),
                },
                None => TargetPort::Number(port),
            };
            Some(ServicePort {
                name: p.get("name").and_then(Node::as_str).map(str::to_string),
                port,
                target,
                transport: p
                    .get("protocol")
                    .and_then(Node::as_str)
                    .and_then(Transport::parse)
                    .unwrap_or(Transport::Tcp),
                source: object.at(p.line),
            })
        })
        .collect();
    let selector = pairs(spec.and_then(|s| s.get("selector")));
    let backing = if get("type") == Some("ExternalName") || selector.is_empty() {
        Backing::None
    } else {
        Backing::Selector(selector)
    };
    Some(Service {
        platform: Platform::Kubernetes,
        namespace: namespace.to_string(),
        name,
        aliases: Vec::new(),
        ports,
        backing,
        headless: get("clusterIP") == Some("None"),
        source: object.at(object.node.line),
    })
}
