//! `doctor --compose` / `--k8s` and the collector's config: several `--config` files merged as
//! the collector merges them, and `--collector-config` as the config of a collector whose config
//! the input does not hold. Working setups give no error; each mistake its finding at file:line.

use std::path::Path;

use serde_json::Value;

use crate::support::{stderr_of, stdout_of, tracectl};

/// The collector listens for OTLP/gRPC only; the overlay adds OTLP/HTTP and its exporter.
const BASE: &str = "receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
exporters:
  debug: {}
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [debug]
";

const OVERLAY: &str = "receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
exporters:
  otlp/jaeger:
    endpoint: jaeger:4317
    tls:
      insecure: true
service:
  pipelines:
    traces:
      exporters: [debug, otlp/jaeger]
";

/// A Compose project: an app exporting OTLP/HTTP to `otel-collector:4318`, and the collector,
/// started with `command` and the `./otel` directory mounted at `/etc/otel` when `mounted`.
fn project(dir: &Path, command: &str, mounted: bool) -> std::path::PathBuf {
    let volumes = if mounted {
        "    volumes:\n      - ./otel:/etc/otel\n"
    } else {
        ""
    };
    let compose = format!(
        "services:
  app:
    image: ghcr.io/example/app:1
    environment:
      OTEL_SERVICE_NAME: app
      OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4318
      OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf
  otel-collector:
    image: otel/opentelemetry-collector-contrib:0.111.0
    command: {command}
    expose:
      - \"4317\"
      - \"4318\"
{volumes}  jaeger:
    image: jaegertracing/all-in-one:1.62.0
    expose:
      - \"4317\"
"
    );
    let file = dir.join("compose.yaml");
    std::fs::write(&file, compose).expect("write compose.yaml");
    file
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write config");
    path
}

/// `doctor --compose FILE extra… --format json --no-env`: exit code and report.
fn doctor(file: &Path, extra: &[&str]) -> (i32, Value) {
    let out = tracectl()
        .args(["doctor", "--no-env", "--format", "json", "--compose"])
        .arg(file)
        .args(extra)
        .output()
        .expect("run tracectl");
    let report = serde_json::from_str(&stdout_of(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout_of(&out), stderr_of(&out)));
    (out.status.code().unwrap_or(-1), report)
}

/// Every error and warning as (workload, check id, severity, subject, message).
fn findings(report: &Value) -> Vec<(String, String, String, String, String)> {
    let mut all = Vec::new();
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let across = [("across".to_string(), &report["checks"])];
    let workloads = report["workloads"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| (text(&w["id"]), &w["checks"]));
    for (id, checks) in workloads.chain(across) {
        for f in checks
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|c| c["findings"].as_array().cloned().unwrap_or_default())
        {
            if f["severity"] == "error" || f["severity"] == "warning" {
                all.push((
                    id.clone(),
                    text(&f["id"]),
                    text(&f["severity"]),
                    text(&f["subject"]),
                    text(&f["message"]),
                ));
            }
        }
    }
    all
}

const TWO_CONFIGS: &str = "[\"--config=/etc/otel/base.yaml\", \"--config=/etc/otel/overlay.yaml\"]";

#[test]
fn several_config_files_are_merged_as_the_collector_merges_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "otel/base.yaml", BASE);
    write(dir.path(), "otel/overlay.yaml", OVERLAY);
    let file = project(dir.path(), TWO_CONFIGS, true);
    let (code, report) = doctor(&file, &[]);
    assert_eq!(findings(&report), Vec::new(), "{report:#}");
    assert_eq!(code, 0);
    // The app's OTLP/HTTP port is served by the overlay's receiver, found at its own line.
    let receiver = report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .find(|w| w["id"] == "app")
        .and_then(|w| w["checks"].as_array())
        .and_then(|c| c.iter().find(|c| c["id"] == "DEP011"))
        .map(|c| c["evidence"].to_string())
        .unwrap_or_default();
    assert!(receiver.contains("protocols.http"), "{receiver}");
}

#[test]
fn a_mistake_in_a_later_config_file_is_found_at_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "otel/base.yaml", BASE);
    let overlay = OVERLAY.replace(
        "exporters: [debug, otlp/jaeger]",
        "exporters: [debug, otlp/jeager]",
    );
    write(dir.path(), "otel/overlay.yaml", &overlay);
    let file = project(dir.path(), TWO_CONFIGS, true);
    let (code, report) = doctor(&file, &[]);
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(w, id, sev, subject, _)| w == "otel-collector"
                && id == "COL007"
                && sev == "error"
                && subject.starts_with(&dir.path().display().to_string())
                && subject.contains("otel/overlay.yaml:14 ")),
        "{found:#?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn an_overridden_receiver_is_judged_as_merged() {
    // The overlay moves OTLP/HTTP to 4319: the app's 4318 is served by nothing any more.
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "otel/base.yaml", BASE);
    let overlay = OVERLAY.replace("0.0.0.0:4318", "0.0.0.0:4319");
    write(dir.path(), "otel/overlay.yaml", &overlay);
    let file = project(dir.path(), TWO_CONFIGS, true);
    let (_, report) = doctor(&file, &[]);
    let found = findings(&report);
    assert!(
        found.iter().any(|(w, id, ..)| w == "app" && id == "DEP011"),
        "{found:#?}"
    );
}

#[test]
fn collector_config_is_the_config_of_a_collector_the_input_has_none_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    let merged = BASE.replace(
        "      grpc:\n        endpoint: 0.0.0.0:4317\n",
        "      grpc:\n        endpoint: 0.0.0.0:4317\n      http:\n        endpoint: 0.0.0.0:4318\n",
    );
    let config = write(dir.path(), "values/otel.yaml", &merged);
    let file = project(dir.path(), "[\"--config=/conf/otel.yaml\"]", false);
    let flag = config.display().to_string();
    let (code, report) = doctor(&file, &["--collector-config", &flag]);
    assert_eq!(findings(&report), Vec::new(), "{report:#}");
    assert_eq!(code, 0);

    let broken = merged.replace("exporters: [debug]", "exporters: [debgu]");
    write(dir.path(), "values/otel.yaml", &broken);
    let (code, report) = doctor(&file, &["--collector-config", &flag]);
    let found = findings(&report);
    let at = format!("{flag}:14 ");
    assert!(
        found
            .iter()
            .any(|(w, id, _, subject, _)| w == "otel-collector"
                && id == "COL007"
                && subject.starts_with(&at)),
        "{found:#?}"
    );
    assert_eq!(code, 1);

    // The apps are checked against its receivers.
    let grpc_only = write(dir.path(), "values/grpc.yaml", BASE);
    let grpc_flag = grpc_only.display().to_string();
    let (_, report) = doctor(&file, &["--collector-config", &grpc_flag]);
    let found = findings(&report);
    assert!(
        found.iter().any(|(w, id, ..)| w == "app" && id == "DEP011"),
        "{found:#?}"
    );
}

#[test]
fn collector_config_that_applies_to_nothing_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "otel/base.yaml", BASE);
    write(dir.path(), "otel/overlay.yaml", OVERLAY);
    let config = write(dir.path(), "other.yaml", BASE);
    let file = project(dir.path(), TWO_CONFIGS, true);
    let out = tracectl()
        .args(["doctor", "--no-env", "--compose"])
        .arg(&file)
        .arg("--collector-config")
        .arg(&config)
        .output()
        .expect("run tracectl");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("every collector's config was found"));

    // A config in the input that does not parse is still the collector's own: not replaced.
    write(dir.path(), "otel/overlay.yaml", "receivers: [oops\n");
    let out = tracectl()
        .args(["doctor", "--no-env", "--compose"])
        .arg(&file)
        .arg("--collector-config")
        .arg(&config)
        .output()
        .expect("run tracectl");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

/// A ConfigMap with two config keys, mounted at /conf; the collector runs with both, in order; an
/// app exports OTLP/HTTP through the Service.
fn manifest(overlay_exporters: &str) -> String {
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    let overlay = OVERLAY.replace("[debug, otlp/jaeger]", overlay_exporters);
    format!(
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: otel-conf
data:
  base.yaml: |
{}  overlay.yaml: |
{}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: otel-collector
spec:
  selector:
    matchLabels: {{app: otel-collector}}
  template:
    metadata:
      labels: {{app: otel-collector}}
    spec:
      containers:
        - name: otelcol
          image: otel/opentelemetry-collector-contrib:0.111.0
          args: [\"--config=/conf/base.yaml\", \"--config=/conf/overlay.yaml\"]
          ports:
            - containerPort: 4317
            - containerPort: 4318
          volumeMounts:
            - name: conf
              mountPath: /conf
      volumes:
        - name: conf
          configMap:
            name: otel-conf
---
apiVersion: v1
kind: Service
metadata:
  name: otel-collector
spec:
  selector: {{app: otel-collector}}
  ports:
    - name: grpc
      port: 4317
    - name: http
      port: 4318
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: {{app: app}}
  template:
    metadata:
      labels: {{app: app}}
    spec:
      containers:
        - name: app
          image: ghcr.io/example/app:1
          env:
            - name: OTEL_SERVICE_NAME
              value: app
            - name: OTEL_EXPORTER_OTLP_ENDPOINT
              value: http://otel-collector:4318
            - name: OTEL_EXPORTER_OTLP_PROTOCOL
              value: http/protobuf
",
        indent(BASE),
        indent(&overlay)
    )
}

fn doctor_k8s(file: &Path) -> (i32, Value) {
    let out = tracectl()
        .args(["doctor", "--no-env", "--format", "json", "--k8s"])
        .arg(file)
        .output()
        .expect("run tracectl");
    let report = serde_json::from_str(&stdout_of(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout_of(&out), stderr_of(&out)));
    (out.status.code().unwrap_or(-1), report)
}

#[test]
fn configmap_keys_given_as_several_config_files_are_merged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "otel.yaml", &manifest("[debug, otlp/jaeger]"));
    let (code, report) = doctor_k8s(&file);
    assert_eq!(findings(&report), Vec::new(), "{report:#}");
    assert_eq!(code, 0);

    let text = manifest("[debug, otlp/jeager]");
    let line = 1 + text
        .lines()
        .position(|l| l.contains("otlp/jeager"))
        .expect("the typo");
    write(dir.path(), "otel.yaml", &text);
    let (code, report) = doctor_k8s(&file);
    let found = findings(&report);
    let at = format!("{}:{line} ", file.display());
    assert!(
        found
            .iter()
            .any(|(w, id, _, subject, _)| w.ends_with("/otelcol")
                && id == "COL007"
                && subject.starts_with(&at)),
        "{at} {found:#?}"
    );
    assert_eq!(code, 1);
}
