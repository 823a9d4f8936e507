//! A container's environment as the kubelet builds it: `envFrom` sources in order (later wins,
//! optional prefix), then `env` entries in order (each beating `envFrom`), with `$(VAR)` expanded
//! against what is defined before it, `valueFrom` resolved from the input's ConfigMaps, Secrets
//! and the pod template, and run-time fields kept as named placeholders.

use std::collections::HashMap;

use super::documents::Object;
use super::store::Store;
use crate::collector::yaml::Node;
use crate::deploy::{EnvValue, EnvVar, Problem, ProblemKind};
use crate::settings::is_secret;

/// What the environment of one container is resolved against.
pub struct Pod<'a> {
    pub object: &'a Object,
    pub namespace: &'a str,
    /// The pod's name when it is known from the input (kind Pod); else a placeholder.
    pub name: Option<&'a str>,
    pub labels: &'a [(String, String)],
    pub annotations: &'a [(String, String)],
}

/// Resolves the environment of `container` (sorted by name); unresolvable required sources are
/// pushed to `problems` for `workload`.
pub fn resolve(
    container: &Node,
    pod: &Pod,
    store: &Store,
    workload: &str,
    problems: &mut Vec<Problem>,
) -> Vec<EnvVar> {
    let mut env = Env::default();
    for source in seq(container.get("envFrom")) {
        env_from(source, pod, store, workload, problems, &mut env);
    }
    for entry in seq(container.get("env")) {
        env_entry(entry, pod, store, workload, problems, &mut env);
    }
    let mut vars = env.vars;
    vars.sort_by(|a, b| a.name.cmp(&b.name));
    // Kept for the whole run, one list per container: no room to spare.
    vars.shrink_to_fit();
    vars
}

fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(crate::collector::yaml::Value::Seq(items)) => items,
        _ => &[],
    }
}

fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key).and_then(Node::as_str)
}

fn optional(node: &Node) -> bool {
    text(node, "optional") == Some("true")
}

#[derive(Default)]
pub struct Env {
    vars: Vec<EnvVar>,
    index: HashMap<String, usize>,
}

impl Env {
    fn set(&mut self, mut var: EnvVar) {
        match self.index.get(&var.name) {
            Some(&i) => {
                let old = &self.vars[i];
                let mut overrides = vec![format!("{} at {}", old.origin, old.source)];
                overrides.extend(old.overrides.iter().cloned());
                var.overrides = overrides;
                self.vars[i] = var;
            }
            None => {
                self.index.insert(var.name.clone(), self.vars.len());
                self.vars.push(var);
            }
        }
    }

    fn get(&self, name: &str) -> Option<&EnvVar> {
        self.index.get(name).map(|&i| &self.vars[i])
    }
}

fn env_from(
    source: &Node,
    pod: &Pod,
    store: &Store,
    workload: &str,
    problems: &mut Vec<Problem>,
    env: &mut Env,
) {
    let prefix = text(source, "prefix").unwrap_or("");
    let (kind, reference, data) = if let Some(r) = source.get("configMapRef") {
        let name = text(r, "name").unwrap_or("");
        ("ConfigMap", r, store.config_map(pod.namespace, name))
    } else if let Some(r) = source.get("secretRef") {
        let name = text(r, "name").unwrap_or("");
        ("Secret", r, store.secret(pod.namespace, name))
    } else {
        return;
    };
    let name = text(reference, "name").unwrap_or("");
    let Some(data) = data else {
        if !optional(reference) {
            problems.push(missing(pod, workload, reference, kind, name, None));
        }
        return;
    };
    let secret = kind == "Secret";
    for entry in &data.entries {
        env.set(EnvVar {
            name: format!("{prefix}{}", entry.key),
            value: EnvValue::Literal(entry.value.clone()),
            placeholders: Vec::new(),
            source: entry.at.clone(),
            origin: format!("envFrom {kind} {name}"),
            secret: secret || is_secret(&entry.key),
            overrides: Vec::new(),
        });
    }
}

fn missing(
    pod: &Pod,
    workload: &str,
    at: &Node,
    kind: &str,
    name: &str,
    key: Option<&str>,
) -> Problem {
    let what = match key {
        Some(key) => format!("key `{key}` of {kind} `{name}`"),
        None => format!("{kind} `{name}`"),
    };
    Problem {
        kind: ProblemKind::MissingSource,
        workload: Some(workload.to_string()),
        location: pod.object.at(at.line),
        message: format!(
            "{what} (namespace {}) is not in the input and not marked `optional: true`; unless it \
             is created some other way, the pod will not start",
            pod.namespace
        ),
    }
}

fn env_entry(
    entry: &Node,
    pod: &Pod,
    store: &Store,
    workload: &str,
    problems: &mut Vec<Problem>,
    env: &mut Env,
) {
    let Some((name_key, name_node)) = entry.entry("name") else {
        return;
    };
    let Some(name) = name_node.as_str() else {
        return;
    };
    let mut var = EnvVar {
        name: name.to_string(),
        value: EnvValue::Literal(String::new()),
        placeholders: Vec::new(),
        source: pod.object.at(name_key.line),
        origin: "env".to_string(),
        secret: is_secret(name),
        overrides: Vec::new(),
    };
    if let Some((key, value)) = entry.entry("value") {
        var.source = pod.object.at(key.line);
        let (expanded, placeholders) = expand(value.as_str().unwrap_or(""), env);
        var.value = EnvValue::Literal(expanded);
        var.placeholders = placeholders;
    } else if let Some((key, from)) = entry.entry("valueFrom") {
        var.source = pod.object.at(key.line);
        match value_from(from, pod, store, workload, problems) {
            Some((value, origin, secret)) => {
                var.value = value;
                var.origin = origin;
                var.secret |= secret;
            }
            None => return,
        }
    }
    env.set(var);
}

/// A `valueFrom` entry: the value, its origin, whether it is a secret; `None` when an optional
/// source is missing (the variable is then not set).
fn value_from(
    from: &Node,
    pod: &Pod,
    store: &Store,
    workload: &str,
    problems: &mut Vec<Problem>,
) -> Option<(EnvValue, String, bool)> {
    for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
        let Some(r) = from.get(field) else { continue };
        let (name, key) = (text(r, "name").unwrap_or(""), text(r, "key").unwrap_or(""));
        let secret = kind == "Secret";
        let data = if secret {
            store.secret(pod.namespace, name)
        } else {
            store.config_map(pod.namespace, name)
        };
        let origin = format!("valueFrom {field} {name}/{key}");
        return match data.and_then(|d| d.get(key)) {
            Some(e) => Some((
                EnvValue::Literal(e.value.clone()),
                format!("{origin} at {}", e.at),
                secret,
            )),
            None if optional(r) => None,
            None => {
                let key_missing = data.is_some().then_some(key);
                problems.push(missing(pod, workload, r, kind, name, key_missing));
                Some((EnvValue::Unresolved(origin.clone()), origin, secret))
            }
        };
    }
    if let Some(r) = from.get("fieldRef") {
        let path = text(r, "fieldPath").unwrap_or("");
        return Some((field(path, pod), format!("fieldRef {path}"), false));
    }
    if let Some(r) = from.get("resourceFieldRef") {
        let resource = text(r, "resource").unwrap_or("");
        return Some((
            EnvValue::Placeholder(resource.to_string()),
            format!("resourceFieldRef {resource}"),
            false,
        ));
    }
    Some((
        EnvValue::Unresolved("valueFrom".into()),
        "valueFrom".into(),
        false,
    ))
}

/// A `fieldRef` path: names, namespace, labels and annotations from the pod template (a missing
/// label or annotation is empty, as in the kubelet); run-time fields as placeholders.
fn field(path: &str, pod: &Pod) -> EnvValue {
    let lookup = |list: &[(String, String)], prefix: &str| {
        let key = path.strip_prefix(prefix)?.strip_suffix("']")?;
        Some(
            list.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        )
    };
    let known = match path {
        "metadata.namespace" => Some(pod.namespace.to_string()),
        "metadata.name" => pod.name.map(str::to_string),
        _ => lookup(pod.labels, "metadata.labels['")
            .or_else(|| lookup(pod.annotations, "metadata.annotations['")),
    };
    match known {
        Some(value) => EnvValue::Literal(value),
        None => EnvValue::Placeholder(path.to_string()),
    }
}

/// `$(VAR)` expansion as the kubelet does it: a variable defined earlier is substituted, `$$` is
/// a literal `$`, anything else stays as written. Placeholders expand to their field path and
/// are returned.
pub fn expand(value: &str, env: &Env) -> (String, Vec<String>) {
    let mut out = String::with_capacity(value.len());
    let mut placeholders = Vec::new();
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some((name, tail)) = after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            match env
                .get(name)
                .filter(|v| !matches!(v.value, EnvValue::Unresolved(_)))
            {
                Some(var) => {
                    out.push_str(var.value.text());
                    match &var.value {
                        EnvValue::Placeholder(p) => placeholders.push(p.clone()),
                        _ => placeholders.extend(var.placeholders.iter().cloned()),
                    }
                }
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = tail;
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    (out, placeholders)
}
