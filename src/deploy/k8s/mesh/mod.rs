//! Istio objects of the manifests: IstioOperator `spec.meshConfig`, the MeshConfig YAML in the
//! `mesh` key of the ConfigMap `istio` (or `istio-<revision>`), Telemetry objects and Namespaces
//! labelled for injection. Lines inside the embedded MeshConfig text are counted in the file.

mod config;

use super::documents::{Object, shift};
use super::pod::{pairs, seq};
use super::store::Store;
use crate::collector::yaml::{self, Node, Value};
use crate::deploy::mesh::{At, Mesh, MeshConfig, Telemetry, TracingRule};
use crate::deploy::{Problem, ProblemKind};

/// Whether [`read`] looks at `object`.
pub fn needs(object: &Object) -> bool {
    match object.kind() {
        "IstioOperator" | "Telemetry" | "Namespace" => true,
        "ConfigMap" => object.name().is_some_and(is_mesh_config_map),
        _ => false,
    }
}

/// The ConfigMap istiod reads its MeshConfig from: `istio`, or `istio-<revision>`.
fn is_mesh_config_map(name: &str) -> bool {
    name == "istio" || name.starts_with("istio-")
}

/// The mesh the objects describe; `None` when they hold no Istio object.
pub fn read(
    objects: &[Object],
    namespace: &str,
    store: &Store,
    problems: &mut Vec<Problem>,
) -> Option<Mesh> {
    let mut mesh = Mesh::default();
    for object in objects {
        let ns = object.namespace().unwrap_or(namespace);
        match object.kind() {
            "IstioOperator" => mesh.configs.extend(operator(object, ns)),
            "ConfigMap" => mesh.configs.extend(config_map(object, ns, store, problems)),
            "Telemetry" if is_istio(object) => mesh.telemetries.extend(telemetry(object, ns)),
            "Namespace" => mesh.injected_namespaces.extend(injected(object)),
            _ => {}
        }
    }
    let found =
        mesh.shown() || !mesh.telemetries.is_empty() || !mesh.injected_namespaces.is_empty();
    found.then_some(mesh)
}

fn is_istio(object: &Object) -> bool {
    object
        .node
        .get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("telemetry.istio.io/"))
}

fn operator(object: &Object, ns: &str) -> Option<MeshConfig> {
    let node = object.node.get("spec")?.get("meshConfig")?;
    let origin = format!(
        "IstioOperator {ns}/{} spec.meshConfig",
        object.name().unwrap_or("")
    );
    Some(config::read(node, origin, &object.file))
}

fn config_map(
    object: &Object,
    ns: &str,
    store: &Store,
    problems: &mut Vec<Problem>,
) -> Option<MeshConfig> {
    let name = object.name()?;
    if !is_mesh_config_map(name) {
        return None;
    }
    let entry = store.config_map(ns, name)?.get("mesh")?;
    let mut node = match yaml::parse(&entry.value) {
        Ok(node) => node,
        Err(e) => {
            problems.push(Problem {
                kind: ProblemKind::Unreadable,
                workload: None,
                location: entry.at.clone(),
                message: format!(
                    "the `mesh` key of ConfigMap {ns}/{name} is not valid MeshConfig YAML ({}); istiod keeps its defaults, so fix it for the mesh's tracing to be read",
                    e.message
                ),
            });
            return None;
        }
    };
    if entry.first.line > entry.at.line {
        shift(&mut node, entry.first.line - 1);
    } else {
        // A quoted one-line value (`kubectl get -o json`): everything is on the key's line.
        pin(&mut node, entry.at.line);
    }
    let origin = format!("ConfigMap {ns}/{name} key mesh");
    Some(config::read(&node, origin, &entry.at.file))
}

/// Puts every line of the tree at `line`.
fn pin(node: &mut Node, line: u32) {
    node.line = line;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| pin(n, line)),
        Value::Map(entries) => {
            for (k, v) in entries {
                k.line = line;
                pin(v, line);
            }
        }
        Value::Null | Value::Scalar(_) => {}
    }
}

fn telemetry(object: &Object, ns: &str) -> Option<Telemetry> {
    let spec = object.node.get("spec");
    let field = |key: &str| spec.and_then(|s| s.get(key));
    let tracing = seq(field("tracing"))
        .iter()
        .map(|rule| TracingRule {
            at: object.at(rule.line),
            providers: seq(rule.get("providers"))
                .iter()
                .filter_map(|p| {
                    let name = p.get("name")?;
                    Some(At {
                        value: name.as_str()?.to_string(),
                        at: object.at(name.line),
                    })
                })
                .collect(),
            sampling: rule.get("randomSamplingPercentage").and_then(|s| {
                Some(At {
                    value: s.as_str()?.trim().parse().ok()?,
                    at: object.at(s.line),
                })
            }),
            disabled: rule.get("disableSpanReporting").and_then(|d| {
                Some(At {
                    value: d.as_str()?.trim().parse().ok()?,
                    at: object.at(d.line),
                })
            }),
        })
        .collect();
    Some(Telemetry {
        namespace: ns.to_string(),
        name: object.name()?.to_string(),
        at: object.at(object.node.line),
        selector: pairs(field("selector").and_then(|s| s.get("matchLabels"))),
        targeted: field("targetRef").is_some() || field("targetRefs").is_some(),
        tracing,
    })
}

/// The namespace's name when its labels turn sidecar injection on.
fn injected(object: &Object) -> Option<String> {
    let labels = pairs(object.node.get("metadata").and_then(|m| m.get("labels")));
    let label = |key: &str| {
        labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let on = match label("istio-injection") {
        Some(v) => v == "enabled",
        None => label("istio.io/rev").is_some(),
    };
    on.then(|| object.name().map(str::to_string)).flatten()
}

#[cfg(test)]
mod tests;
