//! `tracectl doctor --compose` through the binary: a working multi-service project (modelled on
//! the OpenTelemetry demo) gives no error, and each mistake injected into a copy of it gives its
//! finding at the line to change.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{peers, stderr_of, stdout_of, tracectl};

fn demo() -> PathBuf {
    peers::root().join("tests/fixtures/compose/otel-demo")
}

/// Runs `doctor --compose` over `files` with `--format json`; returns the exit code and report.
fn doctor(files: &[PathBuf], extra: &[&str]) -> (i32, Value) {
    let mut cmd = tracectl();
    cmd.args(["doctor", "--format", "json"]);
    for f in files {
        cmd.arg("--compose").arg(f);
    }
    let out = cmd.args(extra).output().expect("run tracectl");
    let report = serde_json::from_str(&stdout_of(&out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout_of(&out), stderr_of(&out)));
    (out.status.code().unwrap_or(-1), report)
}

/// Every finding of the report: per workload and across workloads.
fn findings(report: &Value) -> Vec<Value> {
    let mut checks: Vec<&Value> = report["checks"].as_array().into_iter().flatten().collect();
    for w in report["workloads"].as_array().into_iter().flatten() {
        checks.extend(w["checks"].as_array().into_iter().flatten());
    }
    checks
        .into_iter()
        .flat_map(|c| c["findings"].as_array().cloned().unwrap_or_default())
        .collect()
}

fn errors(report: &Value) -> Vec<Value> {
    findings(report)
        .into_iter()
        .filter(|f| f["severity"] == "error")
        .collect()
}

#[test]
fn a_working_compose_project_has_no_error() {
    for files in [
        vec![demo().join("docker-compose.yml")],
        vec![
            demo().join("docker-compose.yml"),
            demo().join("docker-compose.override.yml"),
        ],
        vec![peers::root().join("tests/fixtures/compose/jaeger-hotrod/docker-compose.yml")],
    ] {
        let (code, report) = doctor(&files, &[]);
        assert_eq!(errors(&report), Vec::<Value>::new(), "{files:?}");
        assert_eq!(code, 0, "{files:?}");
        assert!(report["workloads"].as_array().is_some_and(|w| w.len() >= 2));
    }
}

/// Copies the demo into a temporary directory with `edit` applied to docker-compose.yml.
fn broken(edit: impl Fn(&str) -> String) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&demo(), dir.path());
    let file = dir.path().join("docker-compose.yml");
    let text = edit(&std::fs::read_to_string(&file).expect("read demo"));
    std::fs::write(&file, &text).expect("write edit");
    (dir, file, text)
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    let index = text.lines().position(|l| l.contains(needle));
    index
        .map(|i| i as u64 + 1)
        .unwrap_or_else(|| panic!("no line with {needle}"))
}

const CART_ENDPOINT: &str = "      - OTEL_EXPORTER_OTLP_ENDPOINT\n";

/// Sets cart's endpoint (the first service listing the variable) to `url`.
fn cart_endpoint(url: &str) -> impl Fn(&str) -> String + '_ {
    move |t: &str| {
        t.replacen(
            CART_ENDPOINT,
            &format!("      - OTEL_EXPORTER_OTLP_ENDPOINT={url}\n"),
            1,
        )
    }
}

/// Asserts the mistake gives `id` at the line containing `needle`, with the given severity.
fn assert_finding(edit: impl Fn(&str) -> String, id: &str, needle: &str, severity: &str) {
    let (_dir, file, text) = broken(edit);
    let (code, report) = doctor(std::slice::from_ref(&file), &[]);
    let all = findings(&report);
    let found = all
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no {id} finding in {all:#?}"));
    assert_eq!(found["severity"], severity, "{found:#}");
    let location = &found["location"];
    assert_eq!(location["file"], file.display().to_string(), "{found:#}");
    assert_eq!(location["line"], line_of(&text, needle), "{found:#}");
    assert_eq!(code, if severity == "error" { 1 } else { 0 }, "{all:#?}");
}

#[test]
fn an_agent_port_published_without_udp() {
    let edit = |t: &str| {
        t.replacen(
            "      - \"${JAEGER_SERVICE_PORT}\"\n",
            "      - \"${JAEGER_SERVICE_PORT}\"\n      - \"6831:6831\"\n",
            1,
        )
    };
    assert_finding(edit, "DEP012", "\"6831:6831\"", "error");
}

#[test]
fn a_host_published_port_between_containers() {
    let edit = |t: &str| {
        cart_endpoint("http://otel-collector:14317")(t).replacen(
            "      - \"${OTEL_COLLECTOR_PORT_HTTP}\"\n",
            "      - \"${OTEL_COLLECTOR_PORT_HTTP}\"\n      - \"14317:4317\"\n",
            1,
        )
    };
    assert_finding(edit, "DEP014", "otel-collector:14317", "error");
}

#[test]
fn host_docker_internal_without_host_gateway() {
    let edit = cart_endpoint("http://host.docker.internal:4317");
    assert_finding(edit, "DEP015", "host.docker.internal", "warning");
}

#[test]
fn a_loopback_endpoint_in_a_container() {
    assert_finding(
        cart_endpoint("http://localhost:4317"),
        "DEP004",
        "localhost:4317",
        "error",
    );
}

#[test]
fn an_endpoint_host_that_is_no_service() {
    let edit = cart_endpoint("http://otel-colector:4317");
    assert_finding(edit, "DEP002", "otel-colector:4317", "error");
}

#[test]
fn an_unset_variable_in_a_tracing_value() {
    let edit = cart_endpoint("http://${OTEL_COLLECTOR_HOSTNAME}:4317");
    assert_finding(edit, "DEP013", "OTEL_COLLECTOR_HOSTNAME", "error");
}

#[test]
fn a_project_compose_refuses_is_an_error_at_its_line() {
    let edit = |t: &str| {
        t.replacen(
            "${IMAGE_NAME}:${DEMO_VERSION}-cart",
            "${CART_IMAGE:?set CART_IMAGE}",
            1,
        )
    };
    assert_finding(edit, "DEP001", "CART_IMAGE", "error");
}

#[test]
fn the_compose_env_file_and_profiles_apply() {
    let dir = peers::root().join("tests/fixtures/compose/profiles");
    let (_, report) = doctor(
        &[dir.join("compose.yaml")],
        &[
            "--compose-env-file",
            dir.join("alt.env").to_str().expect("utf-8"),
            "--workload",
            "loadgen",
            "--no-env",
        ],
    );
    let ids: Vec<&str> = report["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .filter_map(|w| w["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["loadgen"],
        "COMPOSE_PROFILES=load from alt.env activates loadgen"
    );
    let (_, report) = doctor(
        &[dir.join("compose.yaml")],
        &["--profile", "debug", "--workload", "debug-ui"],
    );
    assert_eq!(report["workloads"][0]["id"], "debug-ui");
}

#[test]
fn a_missing_compose_file_is_a_usage_error() {
    let out = tracectl()
        .args(["doctor", "--compose", "no-such-compose.yaml"])
        .output()
        .expect("run tracectl");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("no-such-compose.yaml is not a file"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_mounted_collector_config_that_is_not_yaml_is_col001_at_its_line() {
    let (dir, file, _) = broken(|t| t.to_string());
    let config = dir.path().join("src/otel-collector/otelcol-config.yml");
    let text = std::fs::read_to_string(&config).expect("read config");
    std::fs::write(&config, text.replacen("  otlp:\n", "  otlp: [\n", 1)).expect("break it");
    let (code, report) = doctor(std::slice::from_ref(&file), &[]);
    let col001: Vec<Value> = findings(&report)
        .into_iter()
        .filter(|f| f["id"] == "COL001")
        .collect();
    assert_eq!(col001.len(), 1, "{col001:#?}");
    assert_eq!(col001[0]["severity"], "error");
    assert_eq!(
        col001[0]["location"]["file"],
        config.display().to_string(),
        "{col001:#?}"
    );
    assert!(
        col001[0]["location"]["line"].as_u64() >= Some(2),
        "{col001:#?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn paths_in_the_project_directory_are_written_without_dot_components() {
    let (dir, _, _) = broken(|t| t.to_string());
    let config = dir.path().join("src/otel-collector/otelcol-config.yml");
    let text = std::fs::read_to_string(&config).expect("read config");
    std::fs::write(&config, text.replacen("  otlp:\n", "  otlp: [\n", 1)).expect("break it");
    let out = tracectl()
        .current_dir(dir.path())
        .args([
            "doctor",
            "--format",
            "json",
            "--compose",
            "docker-compose.yml",
        ])
        .output()
        .expect("run tracectl");
    let report: Value = serde_json::from_str(&stdout_of(&out)).expect("a JSON report");
    let files: Vec<String> = findings(&report)
        .iter()
        .chain(report["workloads"].as_array().into_iter().flatten())
        .filter_map(|v| {
            let at = if v["source"].is_object() {
                &v["source"]
            } else {
                &v["location"]
            };
            at["file"].as_str().map(str::to_string)
        })
        .collect();
    assert!(
        files.contains(&"docker-compose.yml".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"src/otel-collector/otelcol-config.yml".to_string()),
        "{files:?}"
    );
    assert!(files.iter().all(|f| !f.contains("./")), "{files:?}");
}

#[test]
fn settings_fixes_name_the_environment_entry_in_compose_form() {
    let edit = |t: &str| {
        t.replacen(
            "      - OTEL_SERVICE_NAME=cart\n",
            "      - OTEL_SERVICE_NAME=cart\n      - OTEL_TRACES_EXPORTER=otpl\n",
            1,
        )
    };
    let (_dir, file, text) = broken(edit);
    let (code, report) = doctor(std::slice::from_ref(&file), &[]);
    let exp007 = findings(&report)
        .into_iter()
        .find(|f| f["id"] == "EXP007")
        .expect("the exporter typo is found");
    let line = line_of(&text, "OTEL_TRACES_EXPORTER=otpl");
    assert_eq!(
        exp007["fix"],
        format!(
            "`environment: OTEL_TRACES_EXPORTER: \"otlp\"` (the entry at {}:{line})",
            file.display()
        )
    );
    assert_eq!(code, 1);
}
