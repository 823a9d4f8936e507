//! Helpers for the mesh checks' tests: the deploy checks' demo (a collector Service
//! `otel-collector.observability` on 4317/4318, an app `checkout` in `shop`) inside an Istio mesh.

use crate::checks::deploy::testing::demo;

/// The working mesh config: an opentelemetry provider at the demo collector's gRPC port.
pub const MESH: &str = "extensionProviders:
- name: otel-tracing
  opentelemetry:
    service: otel-collector.observability.svc.cluster.local
    port: 4317
";

/// The working Telemetry spec: that provider mesh-wide at 10 %.
pub const TELEMETRY: &str = "tracing:
- providers:
  - name: otel-tracing
  randomSamplingPercentage: 10
";

/// The demo plus the ConfigMap `istio` holding `mesh`, a Telemetry `mesh-default` in
/// istio-system with `spec`, and namespace `shop` labelled for injection.
pub fn mesh(mesh: &str, spec: &str) -> String {
    format!(
        "{}---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |
{}---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system
spec:
{}",
        demo(""),
        indent(mesh, 4),
        indent(spec, 2)
    )
}

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(by)))
        .collect()
}

/// The 1-based line of the first line of `manifest` containing `needle` after `after`.
pub fn line_of(manifest: &str, after: &str, needle: &str) -> u32 {
    let start = manifest.find(after).unwrap_or_else(|| panic!("no {after}"));
    let before = manifest[..start].lines().count();
    let offset = manifest[start..]
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle}"));
    u32::try_from(before + offset + 1).unwrap_or(0)
}
