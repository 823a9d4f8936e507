//! `send-test-span --verify`: the trace is read back from a Jaeger query service. The backend is
//! a fake written for the tests (support::fake_jaeger): no Jaeger binary is installable here.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::fake_jaeger::{Api, CA, FakeJaeger, Guard};

/// Sends 3 spans over OTLP/HTTP to `backend` and verifies through it; (exit code, receipt).
fn send_and_verify(backend: &FakeJaeger, verify_timeout: &str) -> (i32, Value) {
    let url = backend.url();
    let out = crate::support::tracectl()
        .args([
            "send-test-span",
            "--protocol",
            "http/protobuf",
            "--endpoint",
            &url,
        ])
        .args(["--service", "checkout", "--spans", "3", "--timeout", "2s"])
        .args(["--verify", &url, "--verify-timeout", verify_timeout])
        .args(["--format", "json"])
        .output()
        .expect("run");
    let receipt = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON receipt ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), receipt)
}

fn check_complete(receipt: &Value, api: &str) {
    let v = &receipt["verification"];
    assert_eq!(v["found"], "complete", "{receipt}");
    assert_eq!(v["api"], api);
    assert!(
        v["attempts"].as_u64() >= Some(2),
        "the first lookup 404s: {v}"
    );
    assert_eq!(v["missing"], serde_json::json!([]));
    let arrived: Vec<&str> = v["arrived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["service"], "checkout");
            a["span_id"].as_str().unwrap()
        })
        .collect();
    let sent: Vec<&str> = receipt["span_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(arrived, sent);
}

#[test]
fn verify_reads_the_trace_back_over_api_v3() {
    let backend = FakeJaeger::start(Api::V3);
    let (code, receipt) = send_and_verify(&backend, "5s");
    assert_eq!(code, 0, "{receipt}");
    check_complete(&receipt, "/api/v3/traces");
}

#[test]
fn verify_falls_back_to_the_v1_api() {
    let backend = FakeJaeger::start(Api::V1Only);
    let (code, receipt) = send_and_verify(&backend, "5s");
    assert_eq!(code, 0, "{receipt}");
    check_complete(&receipt, "/api/traces");
}

#[test]
fn a_trace_that_never_arrives_exits_1_within_the_verify_timeout() {
    let backend = FakeJaeger::start(Api::Loses);
    let started = Instant::now();
    let (code, receipt) = send_and_verify(&backend, "700ms");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(code, 1, "{receipt}");
    assert_eq!(receipt["verdict"], "accepted");
    let v = &receipt["verification"];
    assert_eq!(v["found"], "not_found", "{v}");
    assert_eq!(v["missing"].as_array().map(Vec::len), Some(3));
    assert!(v["waited_ms"].as_f64() < Some(1500.0), "{v}");
}

#[test]
fn a_query_url_that_is_not_jaeger_is_named_and_bad_urls_are_usage_errors() {
    let backend = FakeJaeger::start(Api::V3);
    let url = backend.url();
    let out = crate::support::tracectl()
        .args([
            "send-test-span",
            "--protocol",
            "http/protobuf",
            "--endpoint",
            &url,
        ])
        .args([
            "--verify",
            "http://127.0.0.1:1/",
            "--verify-timeout",
            "300ms",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = crate::support::stdout_of(&out);
    assert!(
        text.contains("verified     ✗ the query service at"),
        "{text}"
    );
    assert!(text.contains("--verify http://jaeger:16686"), "{text}");
    for bad in ["jaeger:16686", "ftp://x/"] {
        crate::support::tracectl()
            .args(["send-test-span", "--verify", bad])
            .assert()
            .code(2);
    }
    crate::support::tracectl()
        .args(["send-test-span", "--rate", "10", "--verify", "http://x/"])
        .assert()
        .code(2);
}

const TOKEN: &str = "Bearer s3cret-query-token";

/// A backend on HTTPS whose query API wants `authorization: TOKEN`.
fn guarded() -> FakeJaeger {
    FakeJaeger::start_with(
        Api::V3,
        Guard {
            tls: true,
            header: Some(("authorization", TOKEN)),
        },
    )
}

/// Sends 2 spans over OTLP/HTTP to `backend` and verifies through it with `extra` flags and
/// `env`; (exit code, receipt JSON text).
fn verify_guarded(backend: &FakeJaeger, extra: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let url = backend.url();
    let out = crate::support::tracectl()
        .envs(env.iter().copied())
        .args(["send-test-span", "--protocol", "http/protobuf"])
        .args(["--endpoint", &url, "--service", "checkout", "--spans", "2"])
        .args([
            "--timeout",
            "2s",
            "--verify",
            &url,
            "--verify-timeout",
            "3s",
        ])
        .args(extra)
        .args(["--format", "json"])
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        crate::support::stdout_of(&out),
    )
}

#[test]
fn an_https_query_service_trusts_the_ca_file_and_gets_the_verify_headers() {
    let backend = guarded();
    let header = format!("authorization={TOKEN}");
    let (code, text) = verify_guarded(
        &backend,
        &["--ca-file", CA, "--verify-header", &header],
        &[],
    );
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("s3cret-query-token"), "redacted: {text}");
    let receipt: Value = serde_json::from_str(&text).expect("receipt");
    check_complete_without_first_miss(&receipt);
    let headers = &receipt["verification"]["headers"];
    assert_eq!(headers[0][0], "authorization", "{receipt}");
    // The CA from the OTLP certificate variable, in place of --ca-file.
    let (code, text) = verify_guarded(
        &backend,
        &["--verify-header", &header],
        &[("OTEL_EXPORTER_OTLP_CERTIFICATE", CA)],
    );
    assert_eq!(code, 0, "{text}");
}

/// Like check_complete, for a receipt whose backend may have been looked up before.
fn check_complete_without_first_miss(receipt: &Value) {
    let v = &receipt["verification"];
    assert_eq!(v["found"], "complete", "{receipt}");
    assert_eq!(v["arrived"].as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(v["arrived"][0]["service"], "checkout");
}

#[test]
fn a_query_service_that_wants_credentials_or_an_unknown_ca_is_named() {
    let backend = guarded();
    let (code, text) = verify_guarded(&backend, &["--ca-file", CA], &[]);
    assert_eq!(code, 1, "{text}");
    let receipt: Value = serde_json::from_str(&text).expect("receipt");
    assert_eq!(receipt["verdict"], "accepted");
    let v = &receipt["verification"];
    assert_eq!(v["found"], "unreachable", "{v}");
    let error = v["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("HTTP 401") && error.contains("wants credentials"),
        "{v}"
    );
    let human = crate::support::tracectl()
        .args(["send-test-span", "--protocol", "http/protobuf"])
        .args([
            "--endpoint",
            &backend.url(),
            "--ca-file",
            CA,
            "--timeout",
            "2s",
        ])
        .args(["--verify", &backend.url(), "--verify-timeout", "1s"])
        .output()
        .expect("run");
    assert!(
        crate::support::stdout_of(&human).contains("--verify-header authorization="),
        "{}",
        crate::support::stdout_of(&human)
    );
    // The send trusts --ca-file; the read-back of another HTTPS service without it does not.
    let plain = FakeJaeger::start(Api::V3);
    let out = crate::support::tracectl()
        .args(["send-test-span", "--protocol", "http/protobuf"])
        .args(["--endpoint", &plain.url(), "--timeout", "2s"])
        .args(["--verify", &backend.url(), "--verify-timeout", "1s"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = crate::support::stdout_of(&out);
    assert!(text.contains("verified     ✗"), "{text}");
    assert!(text.to_ascii_lowercase().contains("certificate"), "{text}");
}

#[test]
fn verify_header_needs_verify_and_key_value() {
    crate::support::tracectl()
        .args(["send-test-span", "--verify-header", "a=b"])
        .assert()
        .code(2);
    for bad in ["novalue", "bad name=x"] {
        crate::support::tracectl()
            .args(["send-test-span", "--verify", "http://127.0.0.1:1/"])
            .args(["--verify-header", bad])
            .assert()
            .code(2);
    }
}

#[test]
fn a_query_service_that_refuses_connections_is_named_without_polling() {
    let backend = FakeJaeger::start(Api::V3);
    let closed = format!("http://127.0.0.1:{}/", crate::support::peers::free_port());
    let out = crate::support::tracectl()
        .args(["send-test-span", "--protocol", "http/protobuf"])
        .args(["--endpoint", &backend.url()])
        .args([
            "--verify",
            &closed,
            "--verify-timeout",
            "30s",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let receipt: Value = serde_json::from_slice(&out.stdout).expect("receipt");
    let verification = &receipt["verification"];
    assert_eq!(verification["found"], "unreachable", "{receipt}");
    assert_eq!(verification["attempts"], 1, "{receipt}");
    let error = verification["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("the query service does not accept connections"),
        "{error}"
    );
    assert!(!error.contains("client error (Connect)"), "{error}");
}
