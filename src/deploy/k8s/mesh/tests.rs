use crate::deploy::k8s::{Input, read as read_all};
use crate::deploy::mesh::Mesh;

fn mesh(text: &str) -> Mesh {
    let d = read_all(
        &[Input {
            name: "m.yaml".into(),
            text: text.into(),
        }],
        "default",
    );
    d.mesh.expect("a mesh")
}

const CONFIG_MAP: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |-
    defaultConfig:
      tracing:
        sampling: 1
    extensionProviders:
    - name: otel-tracing
      opentelemetry:
        port: 4317
        service: opentelemetry-collector.observability.svc.cluster.local
  meshNetworks: 'networks: {}'
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: otel-demo
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  tracing:
  - providers:
    - name: otel-tracing
    randomSamplingPercentage: 10
    disableSpanReporting: false
";

#[test]
fn the_istio_config_map_maps_embedded_lines_to_the_file() {
    let m = mesh(CONFIG_MAP);
    assert_eq!(m.configs.len(), 1);
    let c = &m.configs[0];
    assert_eq!(c.origin, "ConfigMap istio-system/istio key mesh");
    let p = &c.providers[0];
    assert_eq!((p.name.as_str(), p.at.line), ("otel-tracing", 12));
    assert_eq!(p.port.as_ref().map(|x| x.at.line), Some(14));
    assert_eq!(
        p.service.as_ref().map(|s| (s.value.as_str(), s.at.line)),
        Some((
            "opentelemetry-collector.observability.svc.cluster.local",
            15
        ))
    );
    assert_eq!(c.legacy_sampling.as_ref().map(|s| s.at.line), Some(10));
    assert_eq!(m.injected_namespaces, ["shop"]);
}

#[test]
fn telemetry_rules_keep_their_lines() {
    let m = mesh(CONFIG_MAP);
    let t = &m.telemetries[0];
    assert_eq!(
        (t.namespace.as_str(), t.name.as_str()),
        ("shop", "otel-demo")
    );
    assert_eq!(t.selector, [("app".to_string(), "cart".to_string())]);
    let r = &t.tracing[0];
    assert_eq!(r.at.line, 35);
    assert_eq!(r.providers[0].at.line, 36);
    assert_eq!(
        r.sampling.as_ref().map(|s| (s.value, s.at.line)),
        Some((10.0, 37))
    );
    assert_eq!(r.disabled.as_ref().map(|d| d.value), Some(false));
}

#[test]
fn istio_operator_mesh_config_and_one_line_json_values() {
    let op = "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: demo\n  namespace: istio-system\nspec:\n  meshConfig:\n    extensionProviders:\n    - name: zipkin\n      zipkin:\n        service: zipkin.istio-system.svc.cluster.local\n        port: 9411\n";
    let m = mesh(op);
    assert_eq!(
        m.configs[0].origin,
        "IstioOperator istio-system/demo spec.meshConfig"
    );
    assert_eq!(m.configs[0].providers[0].at.line, 9);
    let json = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"istio\", \"namespace\": \"istio-system\"},\n \"data\": {\"mesh\": \"extensionProviders:\\n- name: otel\\n  opentelemetry: {service: a.b.svc.cluster.local, port: 4317}\\n\"}}\n";
    let m = mesh(json);
    assert_eq!(m.configs[0].providers[0].at.line, 3);
}

#[test]
fn a_broken_mesh_key_is_a_problem_and_plain_manifests_have_no_mesh() {
    let broken =
        "kind: ConfigMap\nmetadata:\n  name: istio\ndata:\n  mesh: |\n    extensionProviders: [\n";
    let d = read_all(
        &[Input {
            name: "m.yaml".into(),
            text: broken.into(),
        }],
        "default",
    );
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].location.line, 5);
    let plain = read_all(
        &[Input {
            name: "m.yaml".into(),
            text: "kind: ConfigMap\nmetadata:\n  name: istio-ca-root-cert\ndata:\n  root-cert.pem: x\n".into(),
        }],
        "default",
    );
    assert!(plain.mesh.is_none());
}

#[test]
fn odd_mesh_values_read_as_what_they_hold() {
    let odd = "kind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\ndata:\n  mesh: |\n    extensionProviders:\n      name: not-a-list\n    defaultProviders: {tracing: single}\n    rootNamespace: [x]\n---\nkind: ConfigMap\nmetadata:\n  name: istio-canary\n  namespace: istio-system\ndata:\n  mesh: just text\n---\napiVersion: telemetry.istio.io/v1alpha1\nkind: Telemetry\nmetadata:\n  name: t\nspec:\n  tracing:\n  - providers: {name: x}\n    randomSamplingPercentage: lots\n  - providers:\n    - name: [1]\n";
    let m = mesh(odd);
    assert_eq!(m.configs.len(), 2);
    assert!(m.configs[0].providers.is_empty());
    assert_eq!(m.configs[0].default_tracing[0].value, "single");
    assert_eq!(m.configs[0].root_namespace, "istio-system");
    let t = &m.telemetries[0];
    assert_eq!((t.namespace.as_str(), t.tracing.len()), ("default", 2));
    assert!(
        t.tracing
            .iter()
            .all(|r| r.providers.is_empty() && r.sampling.is_none())
    );
}
