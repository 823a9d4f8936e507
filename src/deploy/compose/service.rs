//! One service as the files declare it, and how a later file (`-f a.yaml -f b.yaml`) changes it:
//! the override rules of compose-go (`override/merge.go` and `override/uncity.go`).

use std::collections::HashMap;
use std::hash::Hash;

use super::ports::{self, Port};
use super::tree::{At, Key, Node, Tag, Value};
use crate::settings::java::options::Syntax;

/// What the files say about a service, merged in order, before its environment is resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declared {
    pub image: Option<(String, At)>,
    pub container_name: Option<(String, At)>,
    pub hostname: Option<(String, At)>,
    pub network_mode: Option<(String, At)>,
    pub command: Option<(Vec<String>, At)>,
    pub entrypoint: Option<(Vec<String>, At)>,
    pub environment: Vec<Declaration>,
    pub env_files: Vec<EnvFileRef>,
    pub ports: Vec<Port>,
    pub expose: Vec<(String, At)>,
    /// `None`: the project's `default` network.
    pub networks: Option<Vec<NetworkRef>>,
    /// `extra_hosts` entries as (host, address).
    pub extra_hosts: Vec<ExtraHost>,
    pub profiles: Vec<String>,
    pub volumes: Vec<Volume>,
    /// Fields a `!reset` or `!override` tag clears in what earlier files set.
    pub cleared: Vec<String>,
}

/// One `environment` entry: `NAME=value`, `NAME: value`, or a bare `NAME` (value `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub name: String,
    pub value: Option<String>,
    pub at: At,
    pub unset: Vec<String>,
}

/// One `env_file` entry; the path is relative to the project directory.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvFileRef {
    pub path: String,
    pub required: bool,
    pub at: At,
}

/// A network the service joins, with its aliases there.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkRef {
    pub name: String,
    pub aliases: Vec<String>,
    pub at: At,
}

/// One `extra_hosts` entry: `host:address`, `host=address` or `host: address`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraHost {
    pub host: String,
    pub address: String,
    pub at: At,
}

/// A mount: a host path or named volume at `target` in the container.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    pub source: Option<String>,
    pub target: String,
    pub at: At,
}

type Fail = (At, String);

/// Reads one file's declaration of a service; `tags` are the file's merge tags by line.
pub fn declared(key: &Key, node: &Node, tags: &[(u32, Tag)]) -> Result<Declared, Fail> {
    let mut d = Declared::default();
    if node.is_null() {
        return Ok(d);
    }
    if !matches!(node.value, Value::Map(_)) {
        return Err((key.at, format!("service `{}` must be a mapping", key.text)));
    }
    for (k, v) in node.entries() {
        let tag = tags
            .iter()
            .find(|(line, _)| *line == k.at.line)
            .map(|(_, t)| *t);
        if tag.is_some() {
            d.cleared.push(k.text.clone());
        }
        if tag == Some(Tag::Reset) {
            continue;
        }
        let text = || scalar(k, v);
        match k.text.as_str() {
            "image" => d.image = Some((text()?, v.at)),
            "container_name" => d.container_name = Some((text()?, v.at)),
            "hostname" => d.hostname = Some((text()?, v.at)),
            "network_mode" => d.network_mode = Some((text()?, v.at)),
            "command" => d.command = command(k, v)?.map(|c| (c, v.at)),
            "entrypoint" => d.entrypoint = command(k, v)?.map(|c| (c, v.at)),
            "environment" => d.environment = environment(v)?,
            "env_file" => d.env_files = env_files(v)?,
            "ports" => d.ports = ports::read(v)?,
            "expose" => d.expose = ports::expose(v)?,
            "networks" => d.networks = Some(networks(v)?),
            "extra_hosts" => d.extra_hosts = extra_hosts(v)?,
            "profiles" => d.profiles = strings(v)?.into_iter().map(|(s, _)| s).collect(),
            "volumes" => d.volumes = volumes(v)?,
            "extends" => {
                return Err((k.at, "`extends` is not resolved by tracectl yet; inline the service (see `docker compose config`)".to_string()));
            }
            _ => {}
        }
    }
    Ok(d)
}

impl Declared {
    /// Applies a later file's declaration of the same service.
    pub fn overlay(&mut self, o: Declared) {
        for field in &o.cleared {
            self.clear(field);
        }
        fn replace<T>(base: &mut Option<T>, o: Option<T>) {
            if o.is_some() {
                *base = o;
            }
        }
        replace(&mut self.image, o.image);
        replace(&mut self.container_name, o.container_name);
        replace(&mut self.hostname, o.hostname);
        replace(&mut self.network_mode, o.network_mode);
        replace(&mut self.command, o.command);
        replace(&mut self.entrypoint, o.entrypoint);
        unique(&mut self.environment, o.environment, |e| e.name.clone());
        unique(&mut self.env_files, o.env_files, |e| e.path.clone());
        unique(&mut self.ports, o.ports, Port::unicity_key);
        unique(&mut self.expose, o.expose, |e| e.0.clone());
        unique(&mut self.profiles, o.profiles, Clone::clone);
        unique(&mut self.volumes, o.volumes, |v| v.target.clone());
        for host in o.extra_hosts {
            if !self
                .extra_hosts
                .iter()
                .any(|h| (&h.host, &h.address) == (&host.host, &host.address))
            {
                self.extra_hosts.push(host);
            }
        }
        if let Some(nets) = o.networks {
            let base = self.networks.get_or_insert_with(Vec::new);
            for net in nets {
                match base.iter_mut().find(|b| b.name == net.name) {
                    Some(b) => unique(&mut b.aliases, net.aliases, Clone::clone),
                    None => base.push(net),
                }
            }
        }
    }
}

impl Declared {
    /// Forgets what earlier files set for `field`.
    fn clear(&mut self, field: &str) {
        match field {
            "image" => self.image = None,
            "container_name" => self.container_name = None,
            "hostname" => self.hostname = None,
            "network_mode" => self.network_mode = None,
            "command" => self.command = None,
            "entrypoint" => self.entrypoint = None,
            "environment" => self.environment.clear(),
            "env_file" => self.env_files.clear(),
            "ports" => self.ports.clear(),
            "expose" => self.expose.clear(),
            "networks" => self.networks = None,
            "extra_hosts" => self.extra_hosts.clear(),
            "profiles" => self.profiles.clear(),
            "volumes" => self.volumes.clear(),
            _ => {}
        }
    }
}

/// Appends `more` to `list`; an item whose key is already there replaces it in place (Compose's
/// `EnforceUnicity`).
pub fn unique<T, K: Hash + Eq>(list: &mut Vec<T>, more: Vec<T>, key: impl Fn(&T) -> K) {
    let mut index: HashMap<K, usize> = list.iter().enumerate().map(|(i, e)| (key(e), i)).collect();
    for item in more {
        match index.get(&key(&item)) {
            Some(&i) => list[i] = item,
            None => {
                index.insert(key(&item), list.len());
                list.push(item);
            }
        }
    }
}

fn scalar(k: &Key, v: &Node) -> Result<String, Fail> {
    v.as_str().map(str::to_string).ok_or_else(|| {
        (
            v.at,
            format!("`{}` must be a string, not {}", k.text, v.kind()),
        )
    })
}

fn strings(v: &Node) -> Result<Vec<(String, At)>, Fail> {
    match &v.value {
        Value::Scalar(s) => Ok(vec![(s.text.clone(), v.at)]),
        Value::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(|s| (s.to_string(), i.at))
                    .ok_or_else(|| (i.at, format!("expected a string, not {}", i.kind())))
            })
            .collect(),
        _ => Err((
            v.at,
            format!("expected a string or a list, not {}", v.kind()),
        )),
    }
}

fn command(k: &Key, v: &Node) -> Result<Option<Vec<String>>, Fail> {
    match &v.value {
        Value::Null => Ok(None),
        Value::Scalar(s) => Ok(Some(shell_words(&s.text))),
        Value::Seq(_) => Ok(Some(strings(v)?.into_iter().map(|(s, _)| s).collect())),
        Value::Map(_) => Err((v.at, format!("`{}` must be a string or a list", k.text))),
    }
}

/// Splits a command string as a POSIX shell would split words (quotes and backslashes), which
/// is what Compose does with a string `command`: the one shell splitter, which `sh -c` scripts
/// of JVM command lines go through too.
pub fn shell_words(s: &str) -> Vec<String> {
    crate::settings::java::options::split(s, Syntax::Shell).0
}

fn environment(v: &Node) -> Result<Vec<Declaration>, Fail> {
    let mut out = Vec::new();
    match &v.value {
        Value::Null => {}
        Value::Map(entries) => {
            for (k, n) in entries {
                let (value, unset) = match &n.value {
                    Value::Null => (None, Vec::new()),
                    Value::Scalar(s) => (Some(s.text.clone()), s.unset.clone()),
                    _ => return Err((n.at, format!("`{}` must have a single value", k.text))),
                };
                let d = Declaration {
                    name: k.text.clone(),
                    value,
                    at: k.at,
                    unset,
                };
                unique(&mut out, vec![d], |d| d.name.clone());
            }
        }
        Value::Seq(items) => {
            for item in items {
                let s = item.scalar().ok_or_else(|| {
                    (
                        item.at,
                        format!(
                            "an `environment` entry must be NAME=VALUE, not {}",
                            item.kind()
                        ),
                    )
                })?;
                let (name, value) = match s.text.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (s.text.as_str(), None),
                };
                if name.ends_with(char::is_whitespace) {
                    return Err((
                        item.at,
                        format!(
                            "environment variable `{}` is declared with a trailing space",
                            name
                        ),
                    ));
                }
                let d = Declaration {
                    name: name.to_string(),
                    value,
                    at: item.at,
                    unset: s.unset.clone(),
                };
                unique(&mut out, vec![d], |d| d.name.clone());
            }
        }
        Value::Scalar(_) => {
            return Err((
                v.at,
                "`environment` must be a mapping or a list".to_string(),
            ));
        }
    }
    Ok(out)
}

fn env_files(v: &Node) -> Result<Vec<EnvFileRef>, Fail> {
    let items: Vec<&Node> = match &v.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![v],
    };
    let mut out = Vec::new();
    for item in items {
        let file = match &item.value {
            Value::Scalar(s) => EnvFileRef {
                path: s.text.clone(),
                required: true,
                at: item.at,
            },
            Value::Map(_) => {
                let path = item
                    .get("path")
                    .and_then(Node::as_str)
                    .ok_or_else(|| (item.at, "an `env_file` entry needs `path`".to_string()))?;
                let required = item.get("required").and_then(Node::as_str);
                EnvFileRef {
                    path: path.to_string(),
                    required: !matches!(required, Some("false" | "False" | "FALSE")),
                    at: item.at,
                }
            }
            _ => {
                return Err((
                    item.at,
                    format!("an `env_file` entry must be a path, not {}", item.kind()),
                ));
            }
        };
        unique(&mut out, vec![file], |f| f.path.clone());
    }
    Ok(out)
}

fn networks(v: &Node) -> Result<Vec<NetworkRef>, Fail> {
    match &v.value {
        Value::Seq(_) => Ok(strings(v)?
            .into_iter()
            .map(|(name, at)| NetworkRef {
                name,
                aliases: Vec::new(),
                at,
            })
            .collect()),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, n)| {
                let aliases = match n.get("aliases") {
                    Some(a) => strings(a)?.into_iter().map(|(s, _)| s).collect(),
                    None => Vec::new(),
                };
                Ok(NetworkRef {
                    name: k.text.clone(),
                    aliases,
                    at: k.at,
                })
            })
            .collect(),
        _ => Err((v.at, "`networks` must be a list or a mapping".to_string())),
    }
}

/// `extra_hosts`: `host:address` / `host=address` strings, or a `host: address` mapping.
fn extra_hosts(v: &Node) -> Result<Vec<ExtraHost>, Fail> {
    let pairs: Vec<(String, String, At)> = match &v.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(k, n)| {
                (
                    k.text.clone(),
                    n.as_str().unwrap_or_default().to_string(),
                    k.at,
                )
            })
            .collect(),
        _ => strings(v)?
            .into_iter()
            .map(|(s, at)| {
                let split = s.split_once('=').or_else(|| s.split_once(':'));
                let (host, address) = split.unwrap_or((s.as_str(), ""));
                (host.to_string(), address.to_string(), at)
            })
            .collect(),
    };
    Ok(pairs
        .into_iter()
        .map(|(host, address, at)| ExtraHost { host, address, at })
        .collect())
}

fn volumes(v: &Node) -> Result<Vec<Volume>, Fail> {
    let mut out = Vec::new();
    for item in v.items() {
        let volume = match &item.value {
            Value::Scalar(s) => {
                let parts: Vec<&str> = s.text.split(':').collect();
                match parts.as_slice() {
                    [target] => Volume {
                        source: None,
                        target: target.to_string(),
                        at: item.at,
                    },
                    [source, target, ..] => Volume {
                        source: Some(source.to_string()),
                        target: target.to_string(),
                        at: item.at,
                    },
                    [] => continue,
                }
            }
            Value::Map(_) => Volume {
                source: item
                    .get("source")
                    .and_then(Node::as_str)
                    .map(str::to_string),
                target: item
                    .get("target")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
                    .to_string(),
                at: item.at,
            },
            _ => continue,
        };
        unique(&mut out, vec![volume], |v| v.target.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
