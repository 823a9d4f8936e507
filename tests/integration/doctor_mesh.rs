//! `tracectl doctor --k8s` over Istio mesh tracing: the working meshes of Istio's OpenTelemetry
//! task (IstioOperator and `istio` ConfigMap forms) give no error or warning; each mistake
//! injected into the IstioOperator form gives its MSH finding at the right line; manifests
//! without Istio objects get no mesh finding.

use std::path::Path;

use serde_json::Value;

use crate::support::{peers, stdout_of, tracectl};

const DIR: &str = "tests/fixtures/k8s/istio";

/// The report of `--k8s path` in `format`, asserting the exit code.
fn doctor(path: &Path, format: &str, code: i32) -> String {
    let out = tracectl()
        .current_dir(peers::root())
        .args(["doctor", "--k8s"])
        .arg(path)
        .args(["--format", format, "--color", "never"])
        .assert()
        .code(code)
        .get_output()
        .clone();
    stdout_of(&out)
}

fn json(path: &Path, code: i32) -> Value {
    serde_json::from_str(&doctor(path, "json", code)).expect("a JSON report")
}

/// One MSH result: id, status, findings as (severity, line).
type MeshCheck = (String, String, Vec<(String, u64)>);

/// The across-workload MSH results.
fn mesh_checks(report: &Value) -> Vec<MeshCheck> {
    report["checks"]
        .as_array()
        .expect("checks[]")
        .iter()
        .filter(|c| c["id"].as_str().is_some_and(|id| id.starts_with("MSH")))
        .map(|c| {
            let findings = c["findings"]
                .as_array()
                .map(|f| {
                    f.iter()
                        .map(|f| {
                            (
                                f["severity"].as_str().unwrap_or("").to_string(),
                                f["location"]["line"].as_u64().unwrap_or(0),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                c["id"].as_str().unwrap_or("").to_string(),
                c["status"].as_str().unwrap_or("").to_string(),
                findings,
            )
        })
        .collect()
}

#[test]
fn working_meshes_give_no_error_or_warning() {
    for fixture in ["operator.yaml", "configmap.yaml"] {
        let report = json(&Path::new(DIR).join(fixture), 0);
        let summary = &report["summary"];
        assert_eq!(
            (&summary["errors"], &summary["warnings"], &summary["infos"]),
            (&Value::from(0), &Value::from(0), &Value::from(0)),
            "{fixture}: {report:#}"
        );
        let checks = mesh_checks(&report);
        assert_eq!(checks.len(), 7, "{fixture}");
        assert!(
            checks.iter().all(|c| c.1 == "pass"),
            "{fixture}: {checks:#?}"
        );
    }
}

#[test]
fn manifests_without_istio_get_no_mesh_finding() {
    let report = json(Path::new("tests/fixtures/k8s/helm-demo.yaml"), 0);
    let checks = mesh_checks(&report);
    assert_eq!(checks.len(), 7, "{checks:#?}");
    assert!(checks.iter().all(|c| c.1 == "skip"), "{checks:#?}");
}

/// One mistake injected into operator.yaml: the text replaced, its replacement, the check,
/// its severity, and the text of the line the finding must point at.
const MISTAKES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "    - name: otel-tracing\n    randomSamplingPercentage",
        "    - name: otel-tracer\n    randomSamplingPercentage",
        "MSH001",
        "error",
        "    - name: otel-tracer",
    ),
    (
        "    - name: otel-tracing\n    randomSamplingPercentage",
        "    - name: stdout\n    randomSamplingPercentage",
        "MSH002",
        "error",
        "    - name: stdout",
    ),
    (
        "  - providers:\n    - name: otel-tracing\n    randomSamplingPercentage",
        "  - randomSamplingPercentage",
        "MSH003",
        "error",
        "  - randomSamplingPercentage: 10",
    ),
    (
        "service: opentelemetry-collector.observability.svc.cluster.local",
        "service: opentelemetry-collector.observability",
        "MSH004",
        "error",
        "        service: opentelemetry-collector.observability",
    ),
    (
        "        port: 4317\n        service",
        "        port: 4319\n        service",
        "MSH004",
        "error",
        "        port: 4319",
    ),
    (
        "randomSamplingPercentage: 10",
        "randomSamplingPercentage: 0",
        "MSH005",
        "warning",
        "    randomSamplingPercentage: 0",
    ),
    (
        "        port: 4317\n        service",
        "        port: 4318\n        service",
        "MSH006",
        "error",
        "        port: 4318",
    ),
    (
        "      opentelemetry:\n        port: 4317",
        "      zipkin:\n        port: 9411",
        "MSH007",
        "info",
        "      - name: checkout",
    ),
];

/// operator.yaml with a `stdout` access-log provider and the collector's Zipkin port, which
/// some mistakes select.
fn base() -> String {
    let text = std::fs::read_to_string(peers::root().join(DIR).join("operator.yaml")).unwrap();
    text.replace(
        "        resource_detectors:\n          environment: {}\n",
        "        resource_detectors:\n          environment: {}\n    - name: stdout\n      envoyFileAccessLog:\n        path: /dev/stdout\n",
    )
    .replace(
        "  - name: http-otlp\n    port: 4318\n    targetPort: 4318\n",
        "  - name: http-otlp\n    port: 4318\n    targetPort: 4318\n  - name: http-zipkin\n    port: 9411\n    targetPort: 9411\n",
    )
}

#[test]
fn each_mistake_gives_its_finding_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("base.yaml");
    std::fs::write(&clean, base()).unwrap();
    let report = json(&clean, 0);
    assert_eq!(report["summary"]["warnings"], 0, "{report:#}");
    for (from, to, check, severity, line_text) in MISTAKES {
        let text = base();
        assert!(text.contains(from), "{check}: {from}");
        let text = text.replacen(from, to, 1);
        // The line is searched from the replacement on.
        let start = text[..text.find(to).unwrap()].matches('\n').count();
        let line = text
            .lines()
            .skip(start)
            .position(|l| l == *line_text)
            .unwrap_or_else(|| panic!("{check}: no line {line_text}"))
            + start
            + 1;
        let path = dir.path().join(format!("{check}.yaml"));
        std::fs::write(&path, &text).unwrap();
        let code = if *severity == "error" { 1 } else { 0 };
        let checks = mesh_checks(&json(&path, code));
        let flagged: Vec<_> = checks.iter().filter(|c| !c.2.is_empty()).collect();
        assert_eq!(
            flagged.len(),
            1,
            "{check}: one mistake, one finding: {flagged:#?}"
        );
        assert_eq!(flagged[0].0, *check, "{flagged:#?}");
        assert_eq!(
            flagged[0].2,
            [(severity.to_string(), line as u64)],
            "{check}"
        );
    }
}

#[test]
fn human_output_of_a_mesh_with_mistakes() {
    let out = doctor(&Path::new(DIR).join("mistakes.yaml"), "human", 1);
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r" +\d+ms\b", " [ms]");
    settings.add_filter(r"tracectl \d+\.\d+\.\d+\S*", "tracectl [version]");
    settings.bind(|| insta::assert_snapshot!(out));
}

#[test]
fn json_findings_of_a_mesh_with_mistakes_point_at_their_lines() {
    let report = json(&Path::new(DIR).join("mistakes.yaml"), 1);
    let flagged: Vec<(String, Vec<(String, u64)>)> = mesh_checks(&report)
        .into_iter()
        .filter(|c| !c.2.is_empty())
        .map(|c| (c.0, c.2))
        .collect();
    let expect =
        |id: &str, severity: &str, line: u64| (id.to_string(), vec![(severity.to_string(), line)]);
    assert_eq!(
        flagged,
        [
            expect("MSH001", "error", 15),
            expect("MSH002", "error", 49),
            expect("MSH005", "warning", 36),
            expect("MSH006", "error", 20),
        ]
    );
    let finding = &report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "MSH001")
        .unwrap()["findings"][0];
    assert_eq!(
        finding["location"]["file"],
        "tests/fixtures/k8s/istio/mistakes.yaml"
    );
    assert!(
        finding["fix"]
            .as_str()
            .is_some_and(|f| f.contains("did you mean `otel-tracing`?")),
        "{finding:#}"
    );
}
