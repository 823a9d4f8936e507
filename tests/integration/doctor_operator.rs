//! `tracectl doctor --k8s` with the OpenTelemetry Operator's objects: for an Instrumentation and
//! a Deployment per language, the target container's settings are the values the operator's own
//! end-to-end tests show its webhook injects, each with its layer as source; a shared 4317
//! endpoint with a Python-injected app is an error naming the injected protocol.

use serde_json::Value;

use crate::support::{doctor_at_root as doctor, k8s_json, stdout_of};

const DIR: &str = "tests/fixtures/operator";

fn json(fixture: &str, code: i32) -> Value {
    k8s_json(&format!("{DIR}/{fixture}"), code)
}

fn workload<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["workloads"]
        .as_array()
        .expect("workloads[]")
        .iter()
        .find(|w| w["id"] == id)
        .unwrap_or_else(|| panic!("no workload {id} in {:#}", report["workloads"]))
}

/// The `variable` setting `key` of a workload: its value and its source's origin.
fn variable(w: &Value, key: &str) -> Option<(String, String)> {
    w["settings"]
        .as_array()?
        .iter()
        .find(|s| s["kind"] == "variable" && s["key"] == key)
        .map(|s| {
            (
                s["value"].as_str().unwrap_or("").to_string(),
                s["source"]["origin"].as_str().unwrap_or("").to_string(),
            )
        })
}

const KEYS: [&str; 6] = [
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_SERVICE_NAME",
    "OTEL_PROPAGATORS",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
];

/// A fixture, the target workload, and per key of [`KEYS`] the value and origin expected.
type Case = (
    &'static str,
    &'static str,
    [Option<(&'static str, &'static str)>; 6],
);

/// What the operator's e2e-instrumentation asserts show for each language (None: not set),
/// with the layer tracectl must name.
#[test]
fn each_language_gets_the_env_the_webhook_injects_with_its_layer() {
    let c4318 = "http://deployment-collector:4318";
    let cases: [Case; 6] = [
        (
            "java",
            "default/Deployment/my-java/myapp",
            [
                Some((c4318, "Instrumentation default/java spec.exporter.endpoint")),
                Some(("http/protobuf", "Instrumentation default/java spec.env")),
                Some(("my-java", "operator default: Deployment name")),
                Some(("jaeger,b3", "Instrumentation default/java spec.propagators")),
                Some(("always_on", "Instrumentation default/java spec.env")),
                None,
            ],
        ),
        (
            "python",
            "default/Deployment/my-python/myapp",
            [
                Some((c4318, "Instrumentation default/python spec.python.env")),
                Some(("http/protobuf", "operator default (python)")),
                Some(("my-python", "operator default: Deployment name")),
                Some((
                    "jaeger,b3",
                    "Instrumentation default/python spec.propagators",
                )),
                Some(("always_on", "Instrumentation default/python spec.env")),
                None,
            ],
        ),
        (
            "nodejs",
            "default/Deployment/my-nodejs/myapp",
            [
                Some((c4318, "Instrumentation default/nodejs spec.env")),
                None,
                Some(("my-nodejs", "operator default: Deployment name")),
                Some((
                    "jaeger,b3",
                    "Instrumentation default/nodejs spec.propagators",
                )),
                Some(("always_on", "Instrumentation default/nodejs spec.env")),
                None,
            ],
        ),
        (
            "dotnet",
            "default/Deployment/my-dotnet/myapp",
            [
                Some((
                    c4318,
                    "Instrumentation default/dotnet spec.exporter.endpoint",
                )),
                // Not in the pod's env: the .NET agent's own default, shown as such.
                Some((
                    "http/protobuf",
                    "not in the env: the default of the .NET auto-instrumentation the operator injects",
                )),
                Some(("my-dotnet", "operator default: Deployment name")),
                Some(("b3multi", "Instrumentation default/dotnet spec.propagators")),
                Some(("always_on", "Instrumentation default/dotnet spec.env")),
                None,
            ],
        ),
        (
            "go",
            "default/Deployment/my-golang/opentelemetry-auto-instrumentation",
            [
                Some((c4318, "Instrumentation default/go spec.env")),
                None,
                Some(("my-golang", "operator default: Deployment name")),
                Some(("jaeger,b3", "Instrumentation default/go spec.propagators")),
                Some(("always_on", "Instrumentation default/go spec.env")),
                None,
            ],
        ),
        (
            "sdk",
            "default/Deployment/my-sdk/myapp",
            [
                Some((
                    "http://deployment-collector:4317",
                    "Instrumentation default/sdk-only spec.exporter.endpoint",
                )),
                None,
                Some(("my-sdk", "operator default: Deployment name")),
                Some((
                    "jaeger,b3",
                    "Instrumentation default/sdk-only spec.propagators",
                )),
                Some((
                    "parentbased_traceidratio",
                    "Instrumentation default/sdk-only spec.sampler",
                )),
                Some(("0.25", "Instrumentation default/sdk-only spec.sampler")),
            ],
        ),
    ];
    for (fixture, id, expected) in cases {
        let report = json(fixture, 0);
        assert_eq!(report["summary"]["errors"], 0, "{fixture}: {report:#}");
        let w = workload(&report, id);
        for (key, want) in KEYS.iter().zip(expected) {
            let got = variable(w, key);
            let want = want.map(|(v, o)| (v.to_string(), o.to_string()));
            assert_eq!(got, want, "{fixture} {key}");
        }
    }
}

#[test]
fn go_injects_a_sidecar_with_the_target_executable_and_the_app_is_not_judged_alone() {
    let report = json("go", 0);
    let agent = workload(
        &report,
        "default/Deployment/my-golang/opentelemetry-auto-instrumentation",
    );
    assert_eq!(
        variable(agent, "OTEL_GO_AUTO_TARGET_EXE").map(|v| v.0),
        Some("/rolldice".into())
    );
    let app = workload(&report, "default/Deployment/my-golang/myapp");
    assert!(
        app["note"].as_str().unwrap_or("").contains("Go agent"),
        "{app:#}"
    );
}

#[test]
fn container_names_select_every_listed_container_and_no_other() {
    let report = json("multicontainer", 0);
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    for c in ["myapp", "myrabbit"] {
        let w = workload(&report, &format!("default/Deployment/my-python-multi/{c}"));
        assert_eq!(
            variable(w, "OTEL_EXPORTER_OTLP_ENDPOINT").map(|v| v.0),
            Some("http://deployment-collector:4318".into()),
            "{c}"
        );
        assert_eq!(
            variable(w, "OTEL_EXPORTER_OTLP_PROTOCOL").map(|v| v.0),
            Some("http/protobuf".into())
        );
        assert_eq!(
            variable(w, "OTEL_SERVICE_NAME").map(|v| v.0),
            Some("my-python-multi".into())
        );
        assert_eq!(variable(w, "OTEL_TRACES_SAMPLER_ARG"), None);
    }
    let proxy = workload(&report, "default/Deployment/my-python-multi/proxy");
    assert_eq!(variable(proxy, "OTEL_SERVICE_NAME"), None);
}

#[test]
fn the_collector_cr_is_a_collector_with_its_service() {
    let report = json("java", 0);
    let collector = workload(
        &report,
        "default/OpenTelemetryCollector/deployment/otc-container",
    );
    assert_eq!(collector["role"], "collector");
    // DEP002 and DEP003 found Service deployment-collector and its port; DEP011 its receiver.
    let app = workload(&report, "default/Deployment/my-java/myapp");
    for id in ["DEP002", "DEP003", "DEP011"] {
        let check = app["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        assert_eq!(check["status"], "pass", "{check:#}");
    }
    let dep011 = app["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "DEP011")
        .unwrap();
    assert_eq!(
        dep011["evidence"]["collector"],
        "default/OpenTelemetryCollector/deployment/otc-container"
    );
}

#[test]
fn a_shared_4317_endpoint_with_python_injection_is_an_error_naming_its_protocol() {
    let report = json("python-4317", 1);
    let w = workload(&report, "default/Deployment/reports/reports");
    let opr004 = w["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "OPR004")
        .unwrap();
    let f = &opr004["findings"][0];
    assert_eq!(f["severity"], "error");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("sends http/protobuf"), "{message}");
    assert!(message.contains("operator default (python)"), "{message}");
    assert_eq!(
        f["location"]["file"],
        "tests/fixtures/operator/python-4317/instrumentation.yaml"
    );
    assert_eq!(f["location"]["line"], 8);
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r" +\d+ms\b", " [ms]");
    s.add_filter(r"tracectl \d+\.\d+\.\d+", "tracectl [version]");
    s
}

/// The cart container's settings come from its own env, spec.python.env, spec.env, the
/// exporter, the propagators and the operator's Python defaults.
#[test]
fn layered_settings_in_human_and_json() {
    let path = format!("{DIR}/layers");
    let out = doctor(&["--k8s", &path, "--workload", "shop/*"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let human = stdout_of(&out);
    snapshot_settings().bind(|| insta::assert_snapshot!("operator_layers_human", human));
    let report = json("layers", 0);
    let cart = workload(&report, "shop/Deployment/cart/cart");
    let variables: Vec<&Value> = cart["settings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "variable")
        .collect();
    insta::assert_json_snapshot!("operator_layers_json", variables);
}

#[test]
fn the_collector_cr_config_is_linted_at_its_lines() {
    let report = json("collector-mistake", 1);
    let w = workload(
        &report,
        "default/OpenTelemetryCollector/deployment/otc-container",
    );
    let col007 = w["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "COL007")
        .unwrap();
    // Collector findings name the config line in their subject, as for ConfigMap configs.
    let subject = col007["findings"][0]["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("tests/fixtures/operator/collector-mistake/collector.yaml:23 "),
        "{subject}"
    );
}

#[test]
fn secrets_an_instrumentation_injects_are_never_printed() {
    let manifest = "apiVersion: opentelemetry.io/v1alpha1
kind: Instrumentation
metadata:
  name: vendor
spec:
  exporter:
    endpoint: https://otlp.vendor.example:4318
    tls:
      secretName: ca
      ca_file: ca.crt
  env:
    - name: OTEL_EXPORTER_OTLP_HEADERS
      value: api-key=vendor-secret-key-0042
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: otel
data:
  OTEL_EXPORTER_OTLP_HEADERS: api-key=old-secret-key-0017
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    metadata:
      annotations:
        instrumentation.opentelemetry.io/inject-nodejs: \"true\"
    spec:
      containers:
        - name: api
          image: registry.example/api-node:1
          envFrom:
            - configMapRef:
                name: otel
";
    for format in ["human", "json", "github"] {
        let out = doctor(&["--k8s", "-", "--format", format])
            .write_stdin(manifest)
            .assert()
            .get_output()
            .clone();
        let text = stdout_of(&out);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{format}: {text}"
        );
        let shown = match format {
            "github" => "tracectl doctor: ",
            _ => "OTEL_EXPORTER_OTLP_HEADERS",
        };
        assert!(text.contains(shown), "{format}: {text}");
        for secret in ["vendor-secret-key-0042", "old-secret-key-0017"] {
            assert!(!text.contains(secret), "{format} shows {secret}: {text}");
        }
    }
}
