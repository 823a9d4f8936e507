//! Helpers for the deploy checks' tests: read a manifest and run a check for one workload.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::{Shared, context};
use crate::checks::testing::run_in;
use crate::checks::{Check, Context};
use crate::deploy::k8s::{self, Input};
use crate::report::{Draft, Outcome};
use crate::settings::{Sdk, Settings};

/// The deployment of `manifest` (as file `m.yaml`).
pub fn shared(manifest: &str) -> Arc<Shared> {
    let input = Input {
        name: "m.yaml".into(),
        text: manifest.into(),
    };
    Arc::new(Shared::new(k8s::read(&[input], "default")))
}

/// The context of the workload whose id ends with `suffix` (`None`: across workloads).
pub fn ctx(shared: &Arc<Shared>, suffix: Option<&str>, sdk: Option<Sdk>) -> Context {
    let deadline = Instant::now() + Duration::from_secs(3);
    let Some(suffix) = suffix else {
        return context(
            shared,
            None,
            Settings::resolve(Default::default(), Sdk::Spec),
            false,
            deadline,
        );
    };
    let d = &shared.deployment;
    let index = d
        .workloads
        .iter()
        .position(|w| w.id.ends_with(suffix))
        .unwrap_or_else(|| panic!("no workload {suffix}"));
    let inputs = crate::deploy::inputs(&d.workloads[index]);
    let settings = Settings::resolve(inputs, sdk.unwrap_or(Sdk::Spec));
    context(shared, Some(index), settings, sdk.is_some(), deadline)
}

/// Runs `check` for the workload ending with `suffix` in `manifest`.
pub fn run(check: &Check, manifest: &str, suffix: Option<&str>) -> Outcome {
    run_in(check, &ctx(&shared(manifest), suffix, None))
}

/// The findings, panicking on anything else.
pub fn findings(check: &Check, manifest: &str, suffix: Option<&str>) -> Vec<Draft> {
    match run(check, manifest, suffix) {
        Outcome::Findings(d) => d,
        other => panic!("{} found nothing: {other:?}", check.id),
    }
}

/// Whether `check` passes.
pub fn passes(check: &Check, manifest: &str, suffix: Option<&str>) -> bool {
    match run(check, manifest, suffix) {
        Outcome::Pass(_) => true,
        Outcome::Findings(d) => panic!("{} found {d:#?}", check.id),
        Outcome::Skipped(r) => panic!("{} skipped: {r}", check.id),
    }
}

/// A collector Deployment `otel-collector` (namespace `observability`) with its Service and
/// config (OTLP gRPC 4317 and HTTP 4318), and an app `checkout` in `shop` whose env ends with
/// `env` (YAML list items indented by 12 spaces).
pub fn demo(env: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: otel-collector
  namespace: observability
data:
  relay: |
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
apiVersion: v1
kind: Service
metadata:
  name: otel-collector
  namespace: observability
spec:
  selector:
    app: otel-collector
  ports:
    - name: otlp-grpc
      port: 4317
      targetPort: otlp-grpc
    - name: otlp-http
      port: 4318
      targetPort: 4318
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: otel-collector
  namespace: observability
spec:
  template:
    metadata:
      labels:
        app: otel-collector
    spec:
      containers:
        - name: otelcol
          image: otel/opentelemetry-collector-contrib:0.111.0
          args: ["--config=/conf/relay.yaml"]
          ports:
            - name: otlp-grpc
              containerPort: 4317
            - name: otlp-http
              containerPort: 4318
          volumeMounts:
            - name: conf
              mountPath: /conf
      volumes:
        - name: conf
          configMap:
            name: otel-collector
            items:
              - key: relay
                path: relay.yaml
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: checkout
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/checkout:1.0
          env:
            - name: OTEL_SERVICE_NAME
              value: checkout
{env}"#
    )
}

/// One `env` item of [`demo`].
pub fn item(name: &str, value: &str) -> String {
    format!("            - name: {name}\n              value: {value}\n")
}
