//! Manifests for the operator checks' tests: a collector Service, an Instrumentation and an
//! annotated Deployment, with pieces to vary.

/// A namespace `shop` with an OpenTelemetryCollector `otel` (Service `otel-collector`, OTLP on
/// 4317 and 4318), Instrumentation `inst` with `spec` (YAML indented by 2 under `spec:`), and
/// Deployment `checkout` whose pod template has `annotations` (indented by 8) and whose
/// container `app` has `env` items (indented by 12).
pub fn manifest(spec: &str, annotations: &str, env: &str) -> String {
    format!(
        r#"apiVersion: opentelemetry.io/v1beta1
kind: OpenTelemetryCollector
metadata:
  name: otel
  namespace: shop
spec:
  mode: deployment
  config:
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: 0.0.0.0:4317
          http:
            endpoint: 0.0.0.0:4318
    exporters:
      debug: {{}}
    service:
      pipelines:
        traces:
          receivers: [otlp]
          exporters: [debug]
---
apiVersion: opentelemetry.io/v1alpha1
kind: Instrumentation
metadata:
  name: inst
  namespace: shop
spec:
{spec}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    metadata:
      annotations:
{annotations}    spec:
      containers:
        - name: app
          image: ghcr.io/acme/checkout:1.4
          env:
            - name: LOG_LEVEL
              value: info
{env}"#
    )
}

/// The Instrumentation spec of a working setup (line 31 holds `endpoint:`).
pub const WORKING: &str = "  exporter:\n    endpoint: http://otel-collector:4318\n  propagators: [tracecontext, baggage]\n";

/// One pod annotation line.
pub fn inject(lang: &str, value: &str) -> String {
    format!("        instrumentation.opentelemetry.io/inject-{lang}: \"{value}\"\n")
}
