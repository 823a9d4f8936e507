//! `doctor --e2e --query-url URL` (check PPL001) against the fake backend of support::fake_jaeger:
//! the span goes where the settings point and must come back through the query service.

use serde_json::Value;

use crate::support::fake_jaeger::{Api, FakeJaeger};

/// Runs PPL001 with the settings pointing at `backend`; (exit code, the check's JSON result).
fn e2e(backend: &FakeJaeger, timeout: &str) -> (i32, Value) {
    let url = backend.url();
    let out = crate::support::tracectl()
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", &url)
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .env("OTEL_SERVICE_NAME", "checkout")
        .args(["doctor", "--select", "PPL001", "--e2e", "--query-url", &url])
        .args(["--timeout", timeout, "--format", "json"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    (out.status.code().unwrap_or(-1), report["checks"][0].clone())
}

#[test]
fn e2e_passes_when_the_backend_serves_the_span_back() {
    let backend = FakeJaeger::start(Api::V3);
    let (code, check) = e2e(&backend, "5s");
    assert_eq!(code, 0, "{check}");
    assert_eq!(check["status"], "pass", "{check}");
    assert_eq!(check["evidence"]["stored_service"], "checkout", "{check}");
    assert_eq!(check["evidence"]["url_from"], "OTEL_EXPORTER_OTLP_ENDPOINT");
}

#[test]
fn e2e_fails_when_the_span_never_arrives() {
    let backend = FakeJaeger::start(Api::Loses);
    let (code, check) = e2e(&backend, "800ms");
    assert_eq!(code, 1, "{check}");
    let finding = &check["findings"][0];
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("accepted the test span, but the trace was not found"),
        "{message}"
    );
    assert_eq!(finding["evidence"]["found"], "not_found");
    assert!(finding["fix"].as_str().unwrap().contains("--timeout"));
}

#[test]
fn e2e_is_skipped_without_the_flag_and_needs_a_query_url() {
    let out = crate::support::tracectl()
        .args(["doctor", "--select", "PPL001", "--format", "json"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["checks"][0]["status"], "skip");
    crate::support::tracectl()
        .args(["doctor", "--e2e"])
        .assert()
        .code(2);
    crate::support::tracectl()
        .args(["doctor", "--e2e", "--query-url", "jaeger:16686"])
        .assert()
        .code(2);
}
