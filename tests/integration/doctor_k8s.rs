//! `tracectl doctor --k8s`: working manifests modelled on public setups give no error; each twin
//! carrying one mistake gives its finding at the right file and line.

use serde_json::Value;

use crate::support::{doctor_at_root as doctor, k8s_json, peers, stdout_of, tracectl};

const DIR: &str = "tests/fixtures/k8s";

/// The JSON report of `--k8s` over `fixture`, asserting the exit code.
fn json(fixture: &str, code: i32) -> Value {
    k8s_json(&format!("{DIR}/{fixture}"), code)
}

/// Every finding as (workload id or `across`, check id, severity, file, line).
fn findings(report: &Value) -> Vec<(String, String, String, String, u64)> {
    let mut all = Vec::new();
    let across = [("across".to_string(), &report["checks"])];
    let workloads = report["workloads"]
        .as_array()
        .expect("workloads[]")
        .iter()
        .map(|w| (w["id"].as_str().unwrap_or("").to_string(), &w["checks"]));
    for (id, checks) in workloads.chain(across) {
        for c in checks.as_array().expect("checks[]") {
            for f in c["findings"].as_array().expect("findings[]") {
                all.push((
                    id.clone(),
                    f["id"].as_str().unwrap_or("").to_string(),
                    f["severity"].as_str().unwrap_or("").to_string(),
                    f["location"]["file"].as_str().unwrap_or("").to_string(),
                    f["location"]["line"].as_u64().unwrap_or(0),
                ));
            }
        }
    }
    all
}

#[test]
fn working_setups_give_no_error() {
    for (fixture, workloads) in [
        ("helm-demo.yaml", 4),
        ("node-local.yaml", 2),
        ("jaeger-all-in-one.yaml", 3),
    ] {
        let report = json(fixture, 0);
        assert_eq!(
            report["summary"]["errors"],
            0,
            "{fixture}: {:#?}",
            findings(&report)
        );
        assert_eq!(report["summary"]["workloads"], workloads, "{fixture}");
        assert_eq!(report["schema_version"], 1);
    }
}

#[test]
fn each_mistake_gives_its_finding_at_its_line() {
    let cases = [
        (
            "helm-demo-typo.yaml",
            "otel-demo-checkout/checkout",
            "DEP002",
            134,
        ),
        ("helm-demo-port.yaml", "otel-demo-ad/ad", "DEP003", 168),
        ("helm-demo-localhost.yaml", "otel-demo-ad/ad", "DEP004", 168),
        (
            "helm-demo-protocol.yaml",
            "otel-demo-checkout/checkout",
            "DEP011",
            134,
        ),
        (
            "helm-demo-protocol.yaml",
            "otel-demo-checkout/checkout",
            "END001",
            134,
        ),
        (
            "helm-demo-label.yaml",
            "otel-demo-recommendation/recommendation",
            "DEP008",
            191,
        ),
        (
            "node-local-no-host-port.yaml",
            "frontend/frontend",
            "DEP005",
            89,
        ),
        ("node-local-newline.yaml", "frontend/frontend", "DEP006", 90),
        ("node-local-order.yaml", "frontend/frontend", "DEP007", 86),
        (
            "jaeger-all-in-one-namespace.yaml",
            "orders/orders",
            "DEP002",
            84,
        ),
    ];
    for (fixture, workload, check, line) in cases {
        let report = json(fixture, 1);
        let all = findings(&report);
        let found = all.iter().find(|f| f.0.ends_with(workload) && f.1 == check);
        let Some((_, _, severity, file, at)) = found else {
            panic!("{fixture}: no {check} for {workload} in {all:#?}");
        };
        assert_eq!(severity, "error", "{fixture}");
        assert_eq!(file, &format!("{DIR}/{fixture}"));
        assert_eq!(*at, line, "{fixture} {check}");
        // One mistake, one error — or its known companions: an empty service name is also
        // SVC001's, a protocol/port clash also END001's (settings) and DEP011's (receivers).
        let companions: &[&str] = match check {
            "DEP008" => &["SVC001"],
            "DEP011" | "END001" => &["END001", "DEP011"],
            _ => &[],
        };
        let others: Vec<_> = all
            .iter()
            .filter(|f| f.2 == "error" && f.1 != check && !companions.contains(&f.1.as_str()))
            .collect();
        assert!(
            others.is_empty(),
            "{fixture}: one mistake, one error: {others:#?}"
        );
    }
}

#[test]
fn a_selector_matching_nothing_is_a_warning_across_workloads() {
    let report = json("helm-demo-selector.yaml", 0);
    let all = findings(&report);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        (
            all[0].0.as_str(),
            all[0].1.as_str(),
            all[0].2.as_str(),
            all[0].4
        ),
        ("across", "DEP009", "warning", 39)
    );
}

#[test]
fn workloads_carry_their_sdk_evidence_and_settings_sources() {
    let report = json("helm-demo.yaml", 0);
    let ad = report["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "otel-demo-ad")
        .expect("the ad workload");
    assert_eq!(ad["sdk"]["name"], "javaagent");
    assert!(
        ad["sdk"]["evidence"]
            .as_str()
            .unwrap()
            .contains("JAVA_TOOL_OPTIONS has -javaagent")
    );
    assert_eq!(ad["source"]["line"], 155);
    assert_eq!(
        ad["template"],
        "opentelemetry-demo/templates/component.yaml"
    );
    let url = ad["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "otlp.url")
        .unwrap();
    assert_eq!(url["value"], "http://otel-demo-otelcol:4318/v1/traces");
    assert_eq!(url["source"]["kind"], "deployment");
    assert_eq!(url["source"]["line"], 168);
    let checkout = &report["workloads"][1];
    assert_eq!(checkout["sdk"]["evidence"], Value::Null);
}

#[test]
fn human_output_groups_findings_by_workload() {
    let out = doctor(&["--k8s", &format!("{DIR}/helm-demo-typo.yaml")])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = stdout_of(&out);
    assert!(
        text.contains("✗ otel-demo/Deployment/otel-demo-checkout/checkout"),
        "{text}"
    );
    assert!(text.contains("did you mean `otel-demo-otelcol`"), "{text}");
    assert!(
        text.contains("at       tests/fixtures/k8s/helm-demo-typo.yaml:134"),
        "{text}"
    );
    assert!(
        text.contains("Workloads without findings\n  ✓ otel-demo/Deployment/otel-demo-otelcol"),
        "{text}"
    );
    assert!(text.contains("Network checks skipped"), "{text}");
}

/// The human view and GitHub annotations keep only each workload's failed checks in memory; their
/// counts must still be those of every check run, as the JSON report (which keeps all) says.
#[test]
fn findings_only_views_count_every_check_the_json_report_holds() {
    let path = format!("{DIR}/helm-demo-typo.yaml");
    let s = json("helm-demo-typo.yaml", 1)["summary"].clone();
    let counts = format!(
        "{} passed, {} failed, {} skipped",
        s["passed"], s["failed"], s["skipped"]
    );
    assert!(s["skipped"].as_u64().unwrap() > 0 && s["passed"].as_u64().unwrap() > 0);
    let human = stdout_of(
        &doctor(&["--k8s", &path])
            .assert()
            .code(1)
            .get_output()
            .clone(),
    );
    assert!(human.contains(&counts), "{counts}\n{human}");
    assert!(human.contains("Network checks skipped"), "{human}");
    let github = doctor(&["--k8s", &path, "--format", "github"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        stdout_of(&github).contains(&format!("; {counts}")),
        "{counts}"
    );
    // With a full format among the outputs, every workload keeps every check.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let out = doctor(&[
        "--k8s",
        &path,
        "--output",
        &format!("json={}", file.display()),
    ])
    .assert()
    .code(1)
    .get_output()
    .clone();
    assert!(stdout_of(&out).contains(&counts));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let held: u64 = (written["workloads"].as_array().unwrap().iter())
        .map(|w| w["checks"].as_array().unwrap().len() as u64)
        .sum::<u64>()
        + written["checks"].as_array().unwrap().len() as u64;
    assert_eq!(held, s["checks"].as_u64().unwrap());
}

#[test]
fn github_annotations_point_at_file_and_line() {
    let out = doctor(&[
        "--k8s",
        &format!("{DIR}/node-local-newline.yaml"),
        "--format",
        "github",
    ])
    .assert()
    .code(1)
    .get_output()
    .clone();
    let text = stdout_of(&out);
    assert!(
        text.contains(
            "::error file=tests/fixtures/k8s/node-local-newline.yaml,line=90,title=DEP006"
        ),
        "{text}"
    );
}

#[test]
fn directories_stdin_workload_globs_and_sdk_overrides() {
    let out = doctor(&[
        "--k8s",
        DIR,
        "--format",
        "json",
        "--workload",
        "web/*",
        "--sdk-for",
        "web/*=node",
    ])
    .assert()
    .get_output()
    .clone();
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let workloads = report["workloads"].as_array().unwrap();
    assert!(!workloads.is_empty());
    assert!(workloads.iter().all(|w| w["namespace"] == "web"));
    assert_eq!(workloads[0]["sdk"]["evidence"], "--sdk-for web/*=node");
    let text = std::fs::read_to_string(peers::root().join(DIR).join("node-local.yaml")).unwrap();
    let out = doctor(&["--k8s", "-", "--format", "json"])
        .write_stdin(text)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(report["workloads"][0]["source"]["file"], "-");
}

#[test]
fn unusable_inputs_are_usage_errors() {
    let out = doctor(&["--k8s", "no/such/dir.yaml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(crate::support::stderr_of(&out).contains("cannot read no/such/dir.yaml"));
    let out = doctor(&[
        "--k8s",
        &format!("{DIR}/helm-demo.yaml"),
        "--workload",
        "nope/*",
    ])
    .assert()
    .code(2)
    .get_output()
    .clone();
    assert!(crate::support::stderr_of(&out).contains("no workload matches --workload nope/*"));
    let out = doctor(&["--select", "DEP002"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        crate::support::stderr_of(&out).contains("run tracectl doctor --k8s PATH --select DEP002")
    );
}

#[test]
fn secret_values_are_never_printed() {
    for format in ["human", "json", "github"] {
        let out = doctor(&["--k8s", &format!("{DIR}/secrets.yaml"), "--format", format])
            .assert()
            .get_output()
            .clone();
        let text = stdout_of(&out);
        assert!(format == "github" || text.contains("payments"), "{text}");
        for secret in ["super-secret-vendor-key", "private-tenant-8841"] {
            assert!(!text.contains(secret), "{format} shows {secret}: {text}");
        }
    }
}

#[test]
fn a_container_without_tracing_configuration_gets_only_the_deployment_checks() {
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: nginx:1.27\n";
    let out = doctor(&["--k8s", "-", "--format", "json"])
        .write_stdin(manifest)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let w = &report["workloads"][0];
    assert!(w["note"].as_str().unwrap().contains("not instrumented"));
    let ids: Vec<&str> = w["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        ids.iter()
            .all(|id| id.starts_with("DEP") || id.starts_with("OPR")),
        "{ids:?}"
    );
    let out = doctor(&["--k8s", "-", "--format", "json", "--sdk-for", "*=node"])
        .write_stdin(manifest)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert!(findings(&report).iter().any(|f| f.1 == "SVC001"));
}

#[test]
fn a_collector_config_that_is_not_yaml_is_col001_at_its_line() {
    let text = std::fs::read_to_string(peers::root().join(DIR).join("helm-demo.yaml"))
        .expect("read fixture");
    let broken = text.replacen(
        "      otlp:\n        endpoint: jaeger-collector:4317\n",
        "      otlp: [\n        endpoint: jaeger-collector:4317\n",
        1,
    );
    assert_ne!(broken, text);
    let out = doctor(&["--k8s", "-", "--format", "json"])
        .write_stdin(broken)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_str(&stdout_of(&out)).expect("a JSON report");
    let col001: Vec<_> = findings(&report)
        .into_iter()
        .filter(|f| f.1 == "COL001")
        .collect();
    assert_eq!(col001.len(), 1, "{:#?}", findings(&report));
    let (workload, _, severity, file, line) = &col001[0];
    assert!(workload.contains("otelcol"), "{workload}");
    assert_eq!((severity.as_str(), file.as_str()), ("error", "-"));
    // The config is the `relay: |` block (lines 12-36); the error is inside it, at or after
    // the unclosed bracket.
    assert!((14..=36).contains(line), "{line}");
}

#[test]
fn settings_fixes_name_the_env_entry_in_manifest_form() {
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0\n          env:\n            - name: OTEL_SERVICE_NAME\n              value: api\n            - name: OTEL_TRACES_EXPORTER\n              value: otpl\n";
    let out = doctor(&["--k8s", "-", "--format", "json"])
        .write_stdin(manifest)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_str(&stdout_of(&out)).expect("a JSON report");
    let checks = report["workloads"][0]["checks"].as_array().expect("checks");
    let exp007 = checks
        .iter()
        .flat_map(|c| c["findings"].as_array().cloned().unwrap_or_default())
        .find(|f| f["id"] == "EXP007")
        .expect("the exporter typo is found");
    assert_eq!(
        exp007["fix"],
        "`env: - name: OTEL_TRACES_EXPORTER value: \"otlp\"` (the env entry at -:15)"
    );
    assert_eq!(exp007["location"]["line"], 15);
    // Outside deployment mode the same mistake keeps the shell's form.
    let out = tracectl()
        .args(["doctor", "--offline", "--format", "json"])
        .env("OTEL_TRACES_EXPORTER", "otpl")
        .output()
        .expect("run tracectl");
    assert!(stdout_of(&out).contains("\"fix\": \"export OTEL_TRACES_EXPORTER=otlp\""));
}

#[test]
fn human_output_at_80_columns_is_pinned() {
    let out = doctor(&[
        "--k8s",
        &format!("{DIR}/helm-demo-typo.yaml"),
        "--k8s",
        &format!("{DIR}/node-local-newline.yaml"),
        "--k8s",
        &format!("{DIR}/jaeger-all-in-one-namespace.yaml"),
    ])
    .env("COLUMNS", "80")
    .assert()
    .code(1)
    .get_output()
    .clone();
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r" +\d+ms\b", " [ms]");
    settings.add_filter(r"tracectl \d+\.\d+\.\d+\S*", "tracectl [version]");
    settings.bind(|| insta::assert_snapshot!("human_deployment_80_columns", stdout_of(&out)));
}

/// `--probe` runs the network checks of every workload, more workloads than are checked at once,
/// against a real collector, and reports them in input order.
#[test]
fn probe_checks_every_workload_against_a_real_collector_in_input_order() {
    let Some(rotel) = peers::Rotel::start() else {
        return;
    };
    let closed = peers::free_port();
    let mut manifest = String::new();
    let count = 80;
    for i in 0..count {
        let (port, protocol) = match i {
            13 => (closed, "http/protobuf"),
            i if i % 2 == 0 => (rotel.http_port, "http/protobuf"),
            _ => (rotel.grpc_port, "grpc"),
        };
        manifest.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i:02}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: shop/app:1\n          env:\n            - name: OTEL_SERVICE_NAME\n              value: app-{i:02}\n            - name: OTEL_EXPORTER_OTLP_ENDPOINT\n              value: http://127.0.0.1:{port}\n            - name: OTEL_EXPORTER_OTLP_PROTOCOL\n              value: {protocol}\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.yaml");
    std::fs::write(&path, manifest).unwrap();
    let out = tracectl()
        .args(["doctor", "--k8s"])
        .arg(&path)
        .args(["--probe", "--format", "json", "--timeout", "20s"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let report: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let workloads = report["workloads"].as_array().unwrap();
    assert_eq!(workloads.len(), count);
    for (i, w) in workloads.iter().enumerate() {
        assert_eq!(w["name"], format!("app-{i:02}"));
        let net = (w["checks"].as_array().unwrap().iter())
            .find(|c| c["id"] == "NET001")
            .expect("NET001 ran");
        let expected = if i == 13 { "fail" } else { "pass" };
        assert_eq!(net["status"], expected, "{}: {net}", w["id"]);
    }
}
