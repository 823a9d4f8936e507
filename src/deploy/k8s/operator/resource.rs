//! The service name and resource attributes the webhook writes: `OTEL_SERVICE_NAME` from the
//! `resource.opentelemetry.io/service.name` annotation, the app labels (when the Instrumentation
//! says so), the owning object's name, the pod's name or the container's; `OTEL_RESOURCE_ATTRIBUTES`
//! from the Instrumentation, the k8s.* facts and the pod's `resource.opentelemetry.io/*`
//! annotations, never replacing a key the container sets itself.

use std::collections::BTreeMap;

use super::instrumentation::Instrumentation;
use crate::deploy::EnvValue;

const PREFIX: &str = "resource.opentelemetry.io/";

/// What of the pod the webhook reads for names.
pub struct PodFacts<'a> {
    /// The workload object's kind and name (`Deployment`, `checkout`).
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
    pub labels: &'a [(String, String)],
    pub annotations: &'a [(String, String)],
}

fn find<'a>(list: &'a [(String, String)], key: &str) -> Option<&'a str> {
    list.iter()
        .find(|(k, v)| k == key && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

/// The `k8s.<kind>.name` attribute the owner chain gives, with the owner's name.
fn owner(p: &PodFacts) -> Option<(&'static str, String)> {
    let key = match p.kind {
        "Deployment" => "k8s.deployment.name",
        "StatefulSet" => "k8s.statefulset.name",
        "DaemonSet" => "k8s.daemonset.name",
        "ReplicaSet" => "k8s.replicaset.name",
        "CronJob" => "k8s.cronjob.name",
        "Job" => "k8s.job.name",
        _ => return None,
    };
    Some((key, p.name.to_string()))
}

/// `OTEL_SERVICE_NAME` as the webhook chooses it, and what it was chosen from.
pub fn service_name(p: &PodFacts, inst: &Instrumentation, container: &str) -> (EnvValue, String) {
    if let Some(v) = find(p.annotations, &format!("{PREFIX}service.name")) {
        return (
            EnvValue::Literal(v.into()),
            format!("annotation {PREFIX}service.name"),
        );
    }
    if inst.use_labels {
        for label in ["app.kubernetes.io/instance", "app.kubernetes.io/name"] {
            if let Some(v) = find(p.labels, label) {
                return (EnvValue::Literal(v.into()), format!("label {label}"));
            }
        }
    }
    if let Some((_, name)) = owner(p) {
        return (EnvValue::Literal(name), format!("{} name", p.kind));
    }
    if p.kind == "Pod" {
        if p.name.is_empty() {
            return (EnvValue::Literal(container.into()), "container name".into());
        }
        return (EnvValue::Literal(p.name.into()), "pod name".into());
    }
    // Other owners (Argo Rollouts, …) reach the pod through a generated ReplicaSet name.
    (
        EnvValue::Placeholder("the ReplicaSet's generated name".into()),
        format!("the ReplicaSet {} creates", p.kind),
    )
}

/// The version an image reference carries: its tag, `tag@digest`, or the digest.
pub fn image_version(image: &str) -> Option<String> {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last
        .split_once(':')
        .map(|(_, t)| t)
        .filter(|t| !t.is_empty());
    match (tag, digest) {
        (Some(t), Some(d)) => Some(format!("{t}@{d}")),
        (Some(t), None) => Some(t.to_string()),
        (None, Some(d)) => Some(d.to_string()),
        (None, None) => None,
    }
}

/// The attributes the webhook adds to `OTEL_RESOURCE_ATTRIBUTES` (sorted `key=value` pairs), given
/// what the container already sets there. Run-time values are written as their field paths.
pub fn attributes(
    p: &PodFacts,
    inst: &Instrumentation,
    container: &str,
    image: Option<&str>,
    existing: &str,
) -> String {
    let set: Vec<&str> = existing
        .split(',')
        .filter_map(|kv| {
            let parts: Vec<&str> = kv.trim().split('=').collect();
            (parts.len() == 2).then_some(parts[0])
        })
        .collect();
    let mut res: BTreeMap<String, String> = BTreeMap::new();
    let put = |k: &str, v: String, res: &mut BTreeMap<String, String>| {
        if !set.contains(&k) && !v.is_empty() {
            res.insert(k.to_string(), v);
        }
    };
    for (k, v) in &inst.attributes {
        put(k, v.clone(), &mut res);
    }
    let pod = if p.kind == "Pod" {
        p.name.to_string()
    } else {
        "metadata.name".to_string()
    };
    put("k8s.namespace.name", p.namespace.into(), &mut res);
    put("k8s.container.name", container.into(), &mut res);
    let instance = find(p.annotations, &format!("{PREFIX}service.instance.id")).map_or_else(
        || format!("{}.{pod}.{container}", p.namespace),
        str::to_string,
    );
    put("service.instance.id", instance, &mut res);
    if let Some((key, name)) = owner(p) {
        put(key, name, &mut res);
    }
    for (k, v) in p.annotations {
        if let Some(key) = k.strip_prefix(PREFIX).filter(|k| *k != "service.name") {
            put(key, v.clone(), &mut res);
        }
    }
    let ns = find(p.annotations, &format!("{PREFIX}service.namespace")).unwrap_or(p.namespace);
    put("service.namespace", ns.into(), &mut res);
    // Placed after the map is filled, as the webhook does: these win over the spec's entries.
    put("k8s.pod.name", pod, &mut res);
    if !existing.contains("service.version") {
        let labelled = inst
            .use_labels
            .then(|| find(p.labels, "app.kubernetes.io/version"))
            .flatten();
        let version = find(p.annotations, &format!("{PREFIX}service.version"))
            .or(labelled)
            .map(str::to_string)
            .or_else(|| image.and_then(image_version));
        if let Some(v) = version {
            put("service.version", v, &mut res);
        }
    }
    put("k8s.node.name", "spec.nodeName".into(), &mut res);
    res.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::super::instrumentation::Instrumentation as I;
    use super::*;

    fn inst(ns: &str, name: &str) -> I {
        I::empty(ns, name)
    }

    fn facts<'a>(kind: &'a str, annotations: &'a [(String, String)]) -> PodFacts<'a> {
        PodFacts {
            kind,
            name: "my-python",
            namespace: "shop",
            labels: &[],
            annotations,
        }
    }

    #[test]
    fn the_service_name_comes_from_the_annotation_then_the_owner() {
        let i = inst("shop", "a");
        let (v, why) = service_name(&facts("Deployment", &[]), &i, "myapp");
        assert_eq!((v.text(), why.as_str()), ("my-python", "Deployment name"));
        let ann = [(format!("{PREFIX}service.name"), "checkout".to_string())];
        assert_eq!(
            service_name(&facts("Deployment", &ann), &i, "c").0.text(),
            "checkout"
        );
        assert_eq!(
            service_name(&facts("Pod", &[]), &i, "c").0.text(),
            "my-python"
        );
        assert!(matches!(
            service_name(&facts("Rollout", &[]), &i, "c").0,
            EnvValue::Placeholder(_)
        ));
    }

    #[test]
    fn attributes_keep_what_the_container_sets() {
        let i = inst("shop", "a");
        let attrs = attributes(&facts("Deployment", &[]), &i, "myapp", Some("app:main"), "");
        for part in [
            "k8s.container.name=myapp",
            "k8s.deployment.name=my-python",
            "k8s.namespace.name=shop",
            "k8s.node.name=spec.nodeName",
            "k8s.pod.name=metadata.name",
            "service.instance.id=shop.metadata.name.myapp",
            "service.version=main",
        ] {
            assert!(attrs.contains(part), "{part} in {attrs}");
        }
        let attrs = attributes(
            &facts("Deployment", &[]),
            &i,
            "myapp",
            None,
            "k8s.namespace.name=x",
        );
        assert!(!attrs.contains("k8s.namespace.name"), "{attrs}");
        assert_eq!(
            image_version("r.io/a/b:1.2@sha256:ab").as_deref(),
            Some("1.2@sha256:ab")
        );
        assert_eq!(image_version("localhost:5000/app"), None);
    }
}
