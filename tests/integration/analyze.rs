//! `tracectl analyze FILE`: formats, findings, exit codes, and one trace made by the real
//! OpenTelemetry Python SDK.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tracectl::trace::SpanLine;

use crate::support::{peers, tracectl};

const FIXTURES: &str = "tests/fixtures/traces";

fn analyze(args: &[&str]) -> Command {
    let mut cmd = tracectl();
    cmd.current_dir(peers::root()).arg("analyze").args(args);
    cmd
}

fn stdout(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8 output")
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r" +\d+ms\b", " [ms]");
    s.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
    s.add_filter(r"tracectl \d+\.\d+\.\d+", "tracectl [version]");
    s.add_filter(r#""version": "[^"]+""#, r#""version": "[version]""#);
    s
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

#[test]
fn jaeger_json_shows_skew_per_host_pair_and_a_same_host_child_before_its_parent() {
    let out = stdout(&mut analyze(&[&fixture("jaeger-skew.json")]), 0);
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn otlp_json_of_a_healthy_trace_passes_every_check() {
    let out = stdout(&mut analyze(&[&fixture("otlp-healthy.json")]), 0);
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn zipkin_json_shows_broken_propagation() {
    let out = stdout(
        &mut analyze(&[&fixture("zipkin-propagation.json"), "--format", "json"]),
        0,
    );
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn span_lines_show_service_name_problems_and_fail() {
    let out = stdout(
        &mut analyze(&[&fixture("services.jsonl"), "--format", "github"]),
        1,
    );
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn fail_on_warning_turns_warnings_into_exit_1() {
    stdout(
        &mut analyze(&[
            &fixture("jaeger-skew.json"),
            "--fail-on",
            "warning",
            "--trees",
            "0",
        ]),
        1,
    );
}

#[test]
fn dash_reads_standard_input() {
    let input =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("otlp-healthy.json")))
            .expect("fixture");
    let out = stdout(analyze(&["-", "--format", "json"]).write_stdin(input), 0);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["input"]["formats"], serde_json::json!(["otlp-json"]));
    assert_eq!(doc["input"]["spans"], 3);
}

#[test]
fn input_that_is_not_a_trace_export_is_a_usage_error() {
    for (input, expected) in [
        ("{\"hello\": 1}", "not a span line"),
        ("{\"data\": [", "EOF while parsing"),
        ("", "holds no JSON value"),
        ("42", "a trace export"),
    ] {
        let assert = analyze(&["-"]).write_stdin(input).assert().code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(
            err.contains("standard input is not a trace export tracectl reads"),
            "{err}"
        );
        assert!(err.contains(expected), "{input:?}: {err}");
    }
}

#[test]
fn a_missing_file_is_a_usage_error() {
    analyze(&["no-such-trace.json"]).assert().code(2);
}

// ---- the real OpenTelemetry Python SDK -------------------------------------------------------

/// Kills the receiver even when the test fails.
struct Receiver(Child);

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The spans of otlp_receiver.py's request lines, as span lines.
fn to_span_lines(requests: &str, port: u16) -> String {
    let mut out = String::new();
    for request in requests.lines().filter(|l| !l.trim().is_empty()) {
        let request: serde_json::Value = serde_json::from_str(request).expect("receiver line");
        let resources = request["resources"].as_array().cloned().unwrap_or_default();
        for span in request["spans"].as_array().into_iter().flatten() {
            let resource = span["resource_index"]
                .as_u64()
                .and_then(|i| resources.get(i as usize))
                .and_then(|r| r["attributes"].as_object())
                .map(|a| a.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            let line = SpanLine {
                service: span["service_name"].as_str().unwrap_or("").to_string(),
                name: span["name"].as_str().unwrap_or("").to_string(),
                trace_id: span["trace_id"].as_str().unwrap_or("").to_string(),
                span_id: span["span_id"].as_str().unwrap_or("").to_string(),
                parent_span_id: span["parent_span_id"].as_str().map(str::to_string),
                start_unix_nano: span["start_time_unix_nano"].as_u64().unwrap_or(0),
                end_unix_nano: span["end_time_unix_nano"].as_u64().unwrap_or(0),
                resource,
                protocol: "otlp-http-protobuf".to_string(),
                port,
                ..SpanLine::default()
            };
            out.push_str(&serde_json::to_string(&line).expect("serialises"));
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_trace_from_the_real_python_sdk_is_read_and_its_same_host_child_before_parent_found() {
    let Some(python) = peers::python() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let requests = dir.path().join("requests.jsonl");
    let mut receiver = Receiver(
        Process::new(&python)
            .arg(peers::script("otlp_receiver.py"))
            .args(["--max-seconds", "30", "--out"])
            .arg(&requests)
            .stdout(Stdio::piped())
            .spawn()
            .expect("receiver starts"),
    );
    let mut ready = String::new();
    BufReader::new(receiver.0.stdout.take().expect("stdout"))
        .read_line(&mut ready)
        .expect("ready line");
    let ready: serde_json::Value = serde_json::from_str(&ready).expect("ready json");
    let port = ready["http_port"].as_u64().expect("http port") as u16;

    let sent = Process::new(&python)
        .arg(peers::script("otel_send.py"))
        .args([
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
            "--protocol",
            "http/protobuf",
        ])
        .args(["--spans", "4", "--skew-ms", "5", "--timeout", "5"])
        .args(["--resource-attr", "host.name=sdk-host"])
        .output()
        .expect("otel_send runs");
    let report: serde_json::Value = serde_json::from_slice(&sent.stdout).expect("otel_send json");
    assert_eq!(report["ok"], true, "{report}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = String::new();
    while Instant::now() < deadline {
        text = std::fs::read_to_string(&requests).unwrap_or_default();
        if text.contains("\"span_count\"") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(receiver);
    let lines = to_span_lines(&text, port);
    let spans_file = dir.path().join("spans.jsonl");
    std::fs::File::create(&spans_file)
        .and_then(|mut f| f.write_all(lines.as_bytes()))
        .expect("write span lines");

    let out = stdout(
        &mut analyze(&[spans_file.to_str().expect("utf-8 path"), "--format", "json"]),
        0,
    );
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["input"]["traces"], 1, "{out}");
    assert_eq!(doc["input"]["spans"], 4, "{out}");
    let findings: Vec<&serde_json::Value> = doc["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["findings"].as_array().into_iter().flatten())
        .collect();
    let ids: Vec<&str> = findings.iter().filter_map(|f| f["id"].as_str()).collect();
    // child-i starts at i ms - 5 ms: 4, 3 and 2 ms before the root, on the same host.
    assert_eq!(ids, ["TRC002", "TRC002", "TRC002"], "{out}");
    assert_eq!(findings[0]["subject"], "tracectl-test: child-1");
    assert_eq!(findings[0]["evidence"]["max_lead_ms"], 4.0);
}

#[test]
fn select_and_severity_apply_to_the_trace_checks() {
    let out = stdout(
        &mut analyze(&[
            &fixture("zipkin-propagation.json"),
            "--trees",
            "0",
            "--verbose",
            "--select",
            "trace-propagation",
            "--skip",
            "TRC003",
            "--severity",
            "orphan-spans=error",
        ]),
        1,
    );
    assert!(!out.contains("TRC001") && !out.contains("TRC003"), "{out}");
    assert!(out.contains("error    users: 1 span of users"), "{out}");
    analyze(&[&fixture("otlp-healthy.json"), "--select", "TRC999"])
        .assert()
        .code(2);
}

/// Kills `tracectl listen` even when the test fails.
struct Listen(Child);

impl Drop for Listen {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_real_python_sdk_through_tracectl_listen_json_is_analysed() {
    let Some(python) = peers::python() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let spans_file = dir.path().join("spans.jsonl");
    let mut listen = Listen(
        Process::new(assert_cmd::cargo::cargo_bin("tracectl"))
            .env_clear()
            .env("NO_COLOR", "1")
            .args([
                "listen",
                "--format",
                "json",
                "--only",
                "otlp-http",
                "--otlp-http",
                "0",
            ])
            .args(["--count", "4", "--duration", "30s"])
            .stdout(std::fs::File::create(&spans_file).expect("spans file"))
            .stderr(Stdio::piped())
            .spawn()
            .expect("listen starts"),
    );
    let mut banner = String::new();
    BufReader::new(listen.0.stderr.take().expect("stderr"))
        .read_line(&mut banner)
        .expect("listening line");
    let banner: serde_json::Value = serde_json::from_str(&banner).expect("listening json");
    let port = banner["listeners"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["listener"] == "otlp-http")
        .and_then(|l| l["port"].as_u64())
        .expect("otlp-http port");

    let sent = Process::new(&python)
        .arg(peers::script("otel_send.py"))
        .args([
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
            "--protocol",
            "http/protobuf",
        ])
        .args([
            "--spans",
            "4",
            "--skew-ms",
            "5",
            "--timeout",
            "5",
            "--service",
            "checkout",
        ])
        .output()
        .expect("otel_send runs");
    let report: serde_json::Value = serde_json::from_slice(&sent.stdout).expect("otel_send json");
    assert_eq!(report["ok"], true, "{report}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while listen.0.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        listen.0.try_wait().ok().flatten().and_then(|s| s.code()),
        Some(0)
    );

    let out = stdout(
        &mut analyze(&[spans_file.to_str().expect("utf-8 path"), "--format", "json"]),
        0,
    );
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        doc["input"]["formats"],
        serde_json::json!(["span-lines"]),
        "{out}"
    );
    assert_eq!(
        (
            doc["input"]["traces"].as_u64(),
            doc["input"]["spans"].as_u64()
        ),
        (Some(1), Some(4))
    );
    let subjects: Vec<&str> = doc["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["findings"].as_array().into_iter().flatten())
        .filter_map(|f| f["subject"].as_str())
        .collect();
    assert_eq!(
        subjects,
        [
            "checkout: child-1",
            "checkout: child-2",
            "checkout: child-3"
        ],
        "{out}"
    );
}

/// One span line; `parent` "" for a root.
fn span_line(span: &str, parent: &str, service: &str, name: &str) -> String {
    format!(
        r#"{{"service":"{service}","name":"{name}","trace_id":"a1","span_id":"{span}","parent_span_id":"{parent}","start_unix_nano":1700000000000000000,"end_unix_nano":1700000000010000000}}"#
    ) + "\n"
}

#[test]
fn parent_cycles_and_shared_span_ids_are_named_in_every_format() {
    let healthy = span_line("01", "", "frontend", "GET /") + &span_line("02", "01", "cart", "get");
    let cycle = healthy.clone()
        + &span_line("0a", "0b", "checkout", "pay")
        + &span_line("0b", "0a", "payment", "charge");
    let human = stdout(analyze(&["-"]).write_stdin(cycle.clone()), 1);
    assert!(human.contains("TRC009"), "{human}");
    assert!(
        human.contains("checkout: pay") && human.contains("(in a parent cycle)"),
        "{human}"
    );
    let json = stdout(analyze(&["-", "--format", "json"]).write_stdin(cycle), 1);
    assert!(
        json.contains("\"status\": \"fail\"") && json.contains("payment charge"),
        "{json}"
    );

    let shared = healthy.clone() + &span_line("02", "01", "cart", "other");
    let human = stdout(
        analyze(&["-", "--fail-on", "warning"]).write_stdin(shared.clone()),
        1,
    );
    assert!(
        human.contains("TRC010") && human.contains("held by several spans"),
        "{human}"
    );
    let json = stdout(analyze(&["-", "--format", "json"]).write_stdin(shared), 0);
    assert!(json.contains("different spans share one id"), "{json}");

    let out = stdout(
        analyze(&["-", "--fail-on", "warning"]).write_stdin(healthy),
        0,
    );
    assert!(
        !out.contains("parent cycle") && !out.contains("used more than once"),
        "{out}"
    );
}

#[test]
fn a_multi_megabyte_name_is_shown_cut() {
    let long = "n".repeat(4 << 20);
    let input = span_line("01", "", &long, &long) + &span_line("02", "0a", &long, &long);
    for format in ["human", "json", "github"] {
        let out = stdout(
            analyze(&["-", "--format", format]).write_stdin(input.clone()),
            0,
        );
        assert!(
            out.len() < 64 * 1024,
            "{format}: {} bytes of output",
            out.len()
        );
        assert!(out.contains("…(4194304 bytes)"), "{format}");
    }
}
