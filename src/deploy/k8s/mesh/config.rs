//! A MeshConfig's tracing parts: `extensionProviders`, `defaultProviders.tracing`,
//! `rootNamespace` and the legacy `defaultConfig.tracing.sampling`. MeshConfig YAML is read as
//! protobuf JSON, which takes both `camelCase` and `snake_case` field names.

use crate::collector::yaml::{Node, Value};
use crate::deploy::mesh::{At, MeshConfig, Provider};
use crate::deploy::{Location, k8s::pod::seq};

/// `field` of `node`, spelled either way.
fn get<'a>(node: &'a Node, field: &str) -> Option<&'a Node> {
    node.entries()
        .iter()
        .find(|(k, _)| camel(&k.text) == field)
        .map(|(_, v)| v)
}

/// `snake_case` → `camelCase`; camelCase stays.
fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The MeshConfig in `node`; `file` is where its lines are.
pub fn read(node: &Node, origin: String, file: &str) -> MeshConfig {
    let at = |line: u32| Location::new(file, line);
    let providers = seq(get(node, "extensionProviders"))
        .iter()
        .filter_map(|p| provider(p, file))
        .collect();
    let default_tracing = get(node, "defaultProviders")
        .and_then(|d| get(d, "tracing"))
        .map(|t| match &t.value {
            Value::Seq(items) => items.iter().filter_map(|i| text(i, file)).collect(),
            _ => text(t, file).into_iter().collect(),
        })
        .unwrap_or_default();
    let legacy = get(node, "defaultConfig").and_then(|d| get(d, "tracing"));
    let legacy_zipkin = legacy
        .and_then(|t| get(t, "zipkin"))
        .and_then(|z| get(z, "address"))
        .and_then(|a| text(a, file));
    let legacy_sampling = legacy.and_then(|t| get(t, "sampling")).and_then(|s| {
        Some(At {
            value: s.as_str()?.trim().parse::<f64>().ok()?,
            at: at(s.line),
        })
    });
    MeshConfig {
        origin,
        at: at(node.line),
        root_namespace: get(node, "rootNamespace")
            .and_then(Node::as_str)
            .map_or("istio-system".to_string(), str::to_string),
        providers,
        default_tracing,
        legacy_sampling,
        legacy_zipkin,
    }
}

fn text(node: &Node, file: &str) -> Option<At<String>> {
    Some(At {
        value: node.as_str()?.to_string(),
        at: Location::new(file, node.line),
    })
}

fn provider(node: &Node, file: &str) -> Option<Provider> {
    let (name_key, name) = node
        .entries()
        .iter()
        .find(|(k, _)| k.text == "name")
        .map(|(k, v)| (k, v))?;
    let (kind, body) = node
        .entries()
        .iter()
        .find(|(k, _)| k.text != "name")
        .map(|(k, v)| (camel(&k.text), Some(v)))
        .unwrap_or_default();
    let field = |key: &str| body.and_then(|b| get(b, key));
    let service = field("service").and_then(|s| text(s, file));
    let port = field("port").and_then(|p| {
        Some(At {
            value: p.as_str()?.trim().parse::<u16>().ok()?,
            at: Location::new(file, p.line),
        })
    });
    let w3c = field("traceContextOption")
        .and_then(Node::as_str)
        .is_some_and(|o| o == "USE_B3_WITH_W3C_PROPAGATION");
    Some(Provider {
        name: name.as_str()?.to_string(),
        kind,
        service,
        port,
        http: field("http").is_some_and(|h| !h.is_null()),
        w3c,
        at: Location::new(file, name_key.line),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collector::yaml;

    #[test]
    fn providers_defaults_and_legacy_sampling_in_either_spelling() {
        let text = "rootNamespace: mesh-root\nextension_providers:\n- name: otel\n  opentelemetry:\n    service: otel.o.svc.cluster.local\n    port: 4318\n    http:\n      path: /v1/traces\n- name: log\n  envoy_file_access_log:\n    path: /dev/stdout\n- name: z\n  zipkin:\n    service: z.o.svc.cluster.local\n    port: 9411\n    traceContextOption: USE_B3_WITH_W3C_PROPAGATION\ndefaultProviders:\n  tracing: [otel]\ndefaultConfig:\n  tracing:\n    sampling: 0\n    zipkin:\n      address: zipkin.istio-system:9411\n";
        let node = yaml::parse(text).unwrap();
        let c = read(&node, "test".into(), "m.yaml");
        assert_eq!(c.root_namespace, "mesh-root");
        assert_eq!(c.providers.len(), 3);
        let otel = &c.providers[0];
        assert_eq!(
            (otel.kind.as_str(), otel.http, otel.at.line),
            ("opentelemetry", true, 3)
        );
        assert_eq!(
            otel.port.as_ref().map(|p| (p.value, p.at.line)),
            Some((4318, 6))
        );
        assert_eq!(c.providers[1].kind, "envoyFileAccessLog");
        assert!(c.providers[2].w3c);
        assert_eq!(c.default_tracing[0].value, "otel");
        assert_eq!(c.default_tracing[0].at.line, 18);
        assert_eq!(c.legacy_sampling.as_ref().map(|s| s.at.line), Some(21));
        assert_eq!(c.legacy_zipkin.as_ref().map(|z| z.at.line), Some(23));
    }
}
