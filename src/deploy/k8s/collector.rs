//! A collector container's config files: the `--config` paths of its command, found in the
//! ConfigMaps mounted at those paths (or, without `--config`, a mounted key that looks like a
//! collector config).

use super::pod::seq;
use super::store::Store;
use crate::collector::yaml::Node;
use crate::deploy::config_args::config_paths;
use crate::deploy::{CollectorInput, ConfigText};

/// The config texts of collector container `container` of the pod spec `spec`.
pub fn input(
    workload: &str,
    container: &Node,
    spec: &Node,
    namespace: &str,
    store: &Store,
) -> Option<CollectorInput> {
    let words: Vec<&str> = ["command", "args"]
        .iter()
        .flat_map(|k| seq(container.get(k)))
        .filter_map(Node::as_str)
        .collect();
    let paths = config_paths(&words);
    let mounts = mounts(container, spec);
    let mut configs = Vec::new();
    if paths.is_empty() {
        for (_, cm, _) in &mounts {
            let Some(data) = store.config_map(namespace, cm) else {
                continue;
            };
            if let Some(e) = data.entries.iter().find(|e| e.value.contains("receivers:")) {
                configs.push(text(cm, e));
                break;
            }
        }
    }
    for path in paths {
        let found = mounts.iter().find_map(|(mount, cm, items)| {
            let rel = if path == *mount {
                items.first().map(|(_, p)| p.as_str())?
            } else {
                path.strip_prefix(mount.as_str())?.strip_prefix('/')?
            };
            let key = items
                .iter()
                .find(|(_, p)| p == rel)
                .map_or(rel, |(k, _)| k.as_str());
            let entry = store.config_map(namespace, cm)?.get(key)?;
            Some(text(cm, entry))
        });
        configs.extend(found);
    }
    (!configs.is_empty()).then(|| CollectorInput {
        workload: workload.to_string(),
        configs,
    })
}

/// The files the container's ConfigMap volumes put in its file system, by path (a single-item
/// mount is also offered at the mount path, as a `subPath` mount puts it there).
pub fn mounted_files(
    container: &Node,
    spec: &Node,
    namespace: &str,
    store: &Store,
) -> Vec<(String, ConfigText)> {
    let mut files = Vec::new();
    for (mount, cm, items) in mounts(container, spec) {
        let Some(data) = store.config_map(namespace, &cm) else {
            continue;
        };
        if items.is_empty() {
            for e in &data.entries {
                files.push((format!("{mount}/{}", e.key), text(&cm, e)));
            }
        }
        for (key, path) in &items {
            if let Some(e) = data.get(key) {
                files.push((format!("{mount}/{path}"), text(&cm, e)));
                if items.len() == 1 {
                    files.push((mount.clone(), text(&cm, e)));
                }
            }
        }
    }
    files
}

fn text(cm: &str, entry: &super::store::Entry) -> ConfigText {
    ConfigText {
        name: format!("ConfigMap {cm} key {}", entry.key),
        first: entry.first.clone(),
        text: entry.value.clone(),
    }
}

/// A mounted ConfigMap volume: mount path, ConfigMap name, (key, path) items.
type Mount = (String, String, Vec<(String, String)>);

/// Mounted ConfigMap volumes. A `subPath` mount is the file itself: its item is the sub path.
fn mounts(container: &Node, spec: &Node) -> Vec<Mount> {
    let volumes = seq(spec.get("volumes"));
    seq(container.get("volumeMounts"))
        .iter()
        .filter_map(|m| {
            let name = m.get("name")?.as_str()?;
            let mount = m
                .get("mountPath")?
                .as_str()?
                .trim_end_matches('/')
                .to_string();
            let volume = volumes
                .iter()
                .find(|v| v.get("name").and_then(Node::as_str) == Some(name))?;
            let cm = volume.get("configMap")?;
            let cm_name = cm.get("name")?.as_str()?.to_string();
            let mut items: Vec<(String, String)> = seq(cm.get("items"))
                .iter()
                .filter_map(|i| {
                    Some((
                        i.get("key")?.as_str()?.to_string(),
                        i.get("path")?.as_str()?.to_string(),
                    ))
                })
                .collect();
            if let Some(sub) = m.get("subPath").and_then(Node::as_str) {
                let key = items
                    .iter()
                    .find(|(_, p)| p == sub)
                    .map_or(sub.to_string(), |(k, _)| k.clone());
                items = vec![(key, sub.to_string())];
            }
            Some((mount, cm_name, items))
        })
        .collect()
}
