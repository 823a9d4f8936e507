//! `OpenTelemetryCollector` objects as the collectors the operator runs from them: a collector
//! container with the CR's `spec.config` (a string in v1alpha1, a map in v1beta1), and for every
//! mode but `sidecar` the Service `<name>-collector` on the receivers' ports; a sidecar-mode
//! collector joins each pod that asks for it.

use super::super::documents::{Lines, Object};
use crate::collector::merge::{Layer, merged};
use crate::collector::yaml::{Node, Value};
use crate::deploy::{
    Backing, CollectorInput, ConfigText, Deployment, Location, Network, Platform, Port, Role,
    Service, ServicePort, TargetPort, Transport, Workload,
};

/// The container name the operator gives the collector.
pub const CONTAINER: &str = "otc-container";

/// One OpenTelemetryCollector object.
#[derive(Debug, Clone)]
pub struct CollectorCr {
    pub namespace: String,
    pub name: String,
    /// `spec.mode`, `deployment` when unset.
    pub mode: String,
    pub at: Location,
    pub image: Option<String>,
    pub config: Option<ConfigText>,
}

impl CollectorCr {
    pub fn read(object: &Object, namespace: &str, lines: &Lines) -> Option<CollectorCr> {
        if object.kind() != "OpenTelemetryCollector" {
            return None;
        }
        let name = object.name()?.to_string();
        let namespace = object.namespace().unwrap_or(namespace).to_string();
        let spec = object.node.get("spec");
        let text = |key: &str| spec?.get(key)?.as_str().map(str::to_string);
        let config = spec
            .and_then(|s| s.entry("config"))
            .and_then(|(key, value)| {
                let (first, text) = config_text(lines, key.line, value)?;
                Some(ConfigText {
                    name: format!("OpenTelemetryCollector {namespace}/{name} spec.config"),
                    first: object.at(first),
                    text,
                })
            });
        Some(CollectorCr {
            mode: text("mode").unwrap_or_else(|| "deployment".into()),
            at: object.at(object.node.entry("kind").map_or(1, |(k, _)| k.line)),
            image: text("image"),
            namespace,
            name,
            config,
        })
    }

    /// The Service the operator creates for it (`<name>-collector`).
    pub fn service_name(&self) -> String {
        format!("{}-collector", self.name)
    }

    /// The collector container, in `group` (its own, or the pod it is a sidecar of).
    pub fn workload(
        &self,
        group: &str,
        kind: &str,
        name: &str,
    ) -> (Workload, Option<CollectorInput>) {
        let id = format!("{group}/{CONTAINER}");
        let ports = self
            .listeners()
            .into_iter()
            .map(|(port, transport)| Port {
                container_port: port,
                host_port: None,
                host_ip: None,
                transport,
                name: None,
                source: self.at.clone(),
            })
            .collect();
        let w = Workload {
            id: id.clone(),
            platform: Platform::Kubernetes,
            kind: kind.to_string(),
            namespace: self.namespace.clone(),
            name: name.to_string(),
            container: CONTAINER.to_string(),
            init: false,
            image: self.image.clone(),
            command: Vec::new(),
            args: Vec::new(),
            source: self.at.clone(),
            template: None,
            env: Vec::new(),
            ports,
            role: Role::Collector,
            network: Network {
                group: group.to_string(),
                host: false,
            },
            labels: self.labels(),
            annotations: Vec::new(),
            hosts: Vec::new(),
            mounted: Vec::new(),
            jvm: None,
            injected: None,
        };
        let input = self.config.clone().map(|c| CollectorInput {
            workload: id,
            configs: vec![c],
        });
        (w, input)
    }

    fn labels(&self) -> Vec<(String, String)> {
        vec![
            (
                "app.kubernetes.io/component".into(),
                "opentelemetry-collector".into(),
            ),
            (
                "app.kubernetes.io/instance".into(),
                format!("{}.{}", self.namespace, self.name),
            ),
        ]
    }

    /// The receivers' ports and transports, from the config.
    fn listeners(&self) -> Vec<(u16, Transport)> {
        let Some(c) = &self.config else {
            return Vec::new();
        };
        let layer = Layer {
            file: &c.first.file,
            first_line: c.first.line,
            text: &c.text,
        };
        let Ok(config) = merged(&[layer]) else {
            return Vec::new();
        };
        let mut out: Vec<(u16, Transport)> = config
            .listeners()
            .into_iter()
            .filter_map(|l| {
                let transport = if l.udp {
                    Transport::Udp
                } else {
                    Transport::Tcp
                };
                Some((l.port?, transport))
            })
            .collect();
        out.sort_by_key(|(p, t)| (*p, t.as_str()));
        out.dedup();
        out
    }

    /// Adds the collector and, unless it is a sidecar, its Service to `d`.
    pub fn add_to(&self, d: &mut Deployment) {
        if self.mode == "sidecar" {
            return;
        }
        let group = format!("{}/OpenTelemetryCollector/{}", self.namespace, self.name);
        let (w, input) = self.workload(&group, "OpenTelemetryCollector", &self.name);
        let ports = w
            .ports
            .iter()
            .map(|p| ServicePort {
                name: None,
                port: p.container_port,
                target: TargetPort::Number(p.container_port),
                transport: p.transport,
                source: self.at.clone(),
            })
            .collect();
        d.services.push(Service {
            platform: Platform::Kubernetes,
            namespace: self.namespace.clone(),
            name: self.service_name(),
            aliases: Vec::new(),
            ports,
            backing: Backing::Selector(self.labels()),
            headless: false,
            source: self.at.clone(),
        });
        d.workloads.push(w);
        d.collectors.extend(input);
    }
}

/// The text of `config:` at `key_line` and the line its first line is on: the string itself,
/// or the map's lines as written (indented YAML parses as it stands).
fn config_text(lines: &Lines, key_line: u32, value: &Node) -> Option<(u32, String)> {
    let head = lines.line(key_line);
    let after = head.split_once(':').map_or("", |(_, r)| r).trim_start();
    match &value.value {
        Value::Scalar(_) => {
            let text = value.as_str()?.to_string();
            let first = if after.starts_with(['|', '>']) {
                key_line + 1
            } else {
                key_line
            };
            Some((first, text))
        }
        Value::Map(_) if value.line == key_line => Some((key_line, after.to_string())),
        Value::Map(_) => {
            let indent = head.len() - head.trim_start().len();
            let mut text = String::new();
            let mut n = key_line + 1;
            loop {
                let line = lines.line(n);
                let blank = line.trim().is_empty();
                let deeper = line.len() - line.trim_start().len() > indent;
                if !blank && !deeper {
                    break;
                }
                if blank && !lines.exists(n) {
                    break;
                }
                text.push_str(line);
                text.push('\n');
                n += 1;
            }
            Some((key_line + 1, text))
        }
        Value::Null | Value::Seq(_) => None,
    }
}
