//! The ConfigMaps and Secrets of the input, by namespace and name, with the line of every key:
//! what `envFrom`, `valueFrom` and mounted collector configs resolve against.

use std::collections::HashMap;

use base64::Engine as _;

use super::documents::{Lines, Object};
use crate::collector::yaml::Node;
use crate::deploy::Location;

/// One key of a ConfigMap or Secret.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub value: String,
    /// The key's line.
    pub at: Location,
    /// The line of the value's first line of text (the line after `key: |`).
    pub first: Location,
}

/// A ConfigMap's or Secret's keys in document order.
#[derive(Debug, Clone)]
pub struct Data {
    pub entries: Vec<Entry>,
}

impl Data {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

#[derive(Debug, Default)]
pub struct Store {
    config_maps: HashMap<(String, String), Data>,
    secrets: HashMap<(String, String), Data>,
}

/// A ConfigMap's or Secret's data under its namespace and name, read before it joins the store.
pub struct Keyed {
    secret: bool,
    key: (String, String),
    data: Data,
}

impl Keyed {
    /// The data of `object` if it is a ConfigMap or Secret; `text` holds its lines.
    pub fn of(object: &Object, namespace: &str, text: &Lines) -> Option<Keyed> {
        let name = object.name()?;
        let key = (namespace.to_string(), name.to_string());
        let (secret, entries) = match object.kind() {
            "ConfigMap" => (false, entries(object, "data", text, false)),
            "Secret" => {
                let mut data = entries(object, "data", text, true);
                for e in entries(object, "stringData", text, false) {
                    data.retain(|old| old.key != e.key);
                    data.push(e);
                }
                (true, data)
            }
            _ => return None,
        };
        Some(Keyed {
            secret,
            key,
            data: Data { entries },
        })
    }
}

impl Store {
    /// Adds a ConfigMap's or Secret's data; a later object of the same name replaces it.
    pub fn insert(&mut self, keyed: Keyed) {
        let map = if keyed.secret {
            &mut self.secrets
        } else {
            &mut self.config_maps
        };
        map.insert(keyed.key, keyed.data);
    }

    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&Data> {
        self.config_maps
            .get(&(namespace.to_string(), name.to_string()))
    }

    pub fn secret(&self, namespace: &str, name: &str) -> Option<&Data> {
        self.secrets.get(&(namespace.to_string(), name.to_string()))
    }
}

fn entries(object: &Object, field: &str, text: &Lines, base64: bool) -> Vec<Entry> {
    let Some(data) = object.node.get(field) else {
        return Vec::new();
    };
    data.entries()
        .iter()
        .filter_map(|(k, v)| {
            let raw = v.as_str()?;
            let value = if base64 {
                let compact: String = raw.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .ok()?;
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                raw.to_string()
            };
            Some(Entry {
                key: k.text.to_string(),
                value,
                at: object.at(k.line),
                first: object.at(first_line(text, k.line, v)),
            })
        })
        .collect()
}

/// The line where a value's text starts: the line after `key: |` or `key: >` for block scalars.
fn first_line(text: &Lines, key_line: u32, value: &Node) -> u32 {
    let line = text.line(key_line);
    let after = line
        .split_once(':')
        .map_or("", |(_, rest)| rest)
        .trim_start();
    if after.starts_with(['|', '>']) {
        key_line + 1
    } else {
        value.line.max(key_line)
    }
}
