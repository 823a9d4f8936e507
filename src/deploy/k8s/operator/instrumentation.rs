//! `Instrumentation` objects (opentelemetry.io/v1alpha1) as the webhook reads them: the env
//! layers, exporter, propagators, sampler and resource settings, each field with its line.

use super::super::documents::Object;
use super::super::pod::seq;
use crate::collector::yaml::Node;
use crate::deploy::{EnvValue, Location};

/// A field's text and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub value: String,
    pub at: Location,
}

/// One `env` entry of `spec.env` or `spec.<lang>.env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecVar {
    pub name: String,
    pub value: EnvValue,
    pub at: Location,
}

/// `spec.exporter.tls`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tls {
    pub secret: String,
    pub config_map: String,
    pub ca: String,
    pub cert: String,
    pub key: String,
}

/// One Instrumentation object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrumentation {
    pub namespace: String,
    pub name: String,
    /// The object's `kind:` line.
    pub at: Location,
    /// `spec.env`.
    pub env: Vec<SpecVar>,
    /// `spec.java.env`, `spec.python.env`, … by the spec's key (`java`, `nodejs`, `python`,
    /// `dotnet`, `go`).
    pub lang_env: Vec<(String, Vec<SpecVar>)>,
    pub endpoint: Option<Field>,
    /// `spec.exporter.tls` and the line of its key.
    pub tls: Option<(Tls, Location)>,
    /// `spec.propagators` joined with commas, at the `propagators:` line.
    pub propagators: Option<Field>,
    pub sampler_type: Option<Field>,
    pub sampler_argument: Option<Field>,
    /// `spec.resource.resourceAttributes`.
    pub attributes: Vec<(String, String)>,
    pub uid_attributes: bool,
    /// `spec.defaults.useLabelsForResourceAttributes`.
    pub use_labels: bool,
}

impl Instrumentation {
    /// Reads `object` if it is an Instrumentation; `namespace` when it names none.
    pub fn read(object: &Object, namespace: &str) -> Option<Instrumentation> {
        if object.kind() != "Instrumentation" {
            return None;
        }
        let name = object.name()?.to_string();
        let spec = object.node.get("spec");
        let get = |path: &[&str]| path.iter().try_fold(spec?, |n, k| n.get(k));
        let field = |path: &[&str]| {
            let parent = path[..path.len() - 1]
                .iter()
                .try_fold(spec?, |n, k| n.get(k))?;
            let (key, value) = parent.entry(path[path.len() - 1])?;
            let text = value.as_str()?.trim();
            (!text.is_empty()).then(|| Field {
                value: text.to_string(),
                at: object.at(key.line),
            })
        };
        let lang_env = ["java", "nodejs", "python", "dotnet", "go"]
            .iter()
            .map(|lang| (lang.to_string(), vars(object, get(&[lang, "env"]))))
            .collect();
        let propagators = spec
            .and_then(|s| s.entry("propagators"))
            .and_then(|(k, v)| {
                let names: Vec<&str> = seq(Some(v)).iter().filter_map(Node::as_str).collect();
                (!names.is_empty()).then(|| Field {
                    value: names.join(","),
                    at: object.at(k.line),
                })
            });
        let tls = get(&["exporter"])
            .and_then(|e| e.entry("tls"))
            .map(|(k, v)| {
                let text = |key: &str| v.get(key).and_then(Node::as_str).unwrap_or("").to_string();
                let tls = Tls {
                    secret: text("secretName"),
                    config_map: text("configMapName"),
                    ca: text("ca_file"),
                    cert: text("cert_file"),
                    key: text("key_file"),
                };
                (tls, object.at(k.line))
            });
        let flag = |path: &[&str]| get(path).and_then(Node::as_str) == Some("true");
        Some(Instrumentation {
            namespace: object.namespace().unwrap_or(namespace).to_string(),
            name,
            at: object.at(object.node.entry("kind").map_or(1, |(k, _)| k.line)),
            env: vars(object, get(&["env"])),
            lang_env,
            endpoint: field(&["exporter", "endpoint"]),
            tls,
            propagators,
            sampler_type: field(&["sampler", "type"]),
            sampler_argument: field(&["sampler", "argument"]),
            attributes: get(&["resource", "resourceAttributes"])
                .map(|n| {
                    n.entries()
                        .iter()
                        .map(|(k, v)| (k.text.to_string(), v.as_str().unwrap_or("").to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            uid_attributes: flag(&["resource", "addK8sUIDAttributes"]),
            use_labels: flag(&["defaults", "useLabelsForResourceAttributes"]),
        })
    }

    /// `namespace/name`, as the origin of the values it sets.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// An Instrumentation with an empty spec, for tests.
    #[cfg(test)]
    pub fn empty(namespace: &str, name: &str) -> Instrumentation {
        Instrumentation {
            namespace: namespace.into(),
            name: name.into(),
            at: Location::new("i.yaml", 1),
            env: Vec::new(),
            lang_env: Vec::new(),
            endpoint: None,
            tls: None,
            propagators: None,
            sampler_type: None,
            sampler_argument: None,
            attributes: Vec::new(),
            uid_attributes: false,
            use_labels: false,
        }
    }

    /// `spec.<lang>.env` for the spec key `lang`.
    pub fn lang_env(&self, lang: &str) -> &[SpecVar] {
        self.lang_env
            .iter()
            .find(|(l, _)| l == lang)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// The entries of an `env` list: a literal `value`, a `fieldRef` as its placeholder, any other
/// `valueFrom` unresolved (the webhook copies it; the kubelet resolves it in the pod).
fn vars(object: &Object, list: Option<&Node>) -> Vec<SpecVar> {
    seq(list)
        .iter()
        .filter_map(|entry| {
            let (key, name) = entry.entry("name")?;
            let name = name.as_str()?.to_string();
            let value = if let Some(v) = entry.get("value") {
                EnvValue::Literal(v.as_str().unwrap_or("").to_string())
            } else if let Some(path) = entry
                .get("valueFrom")
                .and_then(|f| f.get("fieldRef"))
                .and_then(|f| f.get("fieldPath"))
                .and_then(Node::as_str)
            {
                EnvValue::Placeholder(path.to_string())
            } else if entry.get("valueFrom").is_some() {
                EnvValue::Unresolved("valueFrom".into())
            } else {
                EnvValue::Literal(String::new())
            };
            Some(SpecVar {
                name,
                value,
                at: object.at(key.line),
            })
        })
        .collect()
}
