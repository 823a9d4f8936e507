//! Wrong inputs read as a user would: exit code 2 for usage errors, one sentence that says what
//! failed, what was expected and what to try; no panic, no Debug-formatted error, no reason
//! repeated by the error chain.

use std::path::Path;

use assert_cmd::cargo::CommandCargoExt;

use crate::support::{stderr_of, stdout_of, tracectl};

/// Runs `tracectl args` (stdin empty), expects exit 2 and a clean one-error message; returns it.
fn usage_error(args: &[&str]) -> String {
    let out = tracectl().args(args).write_stdin("").output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_clean(&err, args);
    err
}

/// A message a user can read: `error:` once, no panic or Debug struct, no clause said twice.
fn assert_clean(err: &str, args: &[&str]) {
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert_eq!(err.matches("error:").count(), 1, "{args:?}: {err}");
    for bad in ["panicked", "RUST_BACKTRACE", " { kind:", "Os {", "Custom {"] {
        assert!(!err.contains(bad), "{args:?} shows `{bad}`: {err}");
    }
    let clauses: Vec<&str> = err.split([':', ';']).map(str::trim).collect();
    for (i, c) in clauses.iter().enumerate() {
        assert!(
            c.len() < 12 || !clauses[i + 1..].contains(c),
            "{args:?} repeats `{c}`: {err}"
        );
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

#[test]
fn unreadable_env_files_say_why_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("prod.env");
    let err = usage_error(&["doctor", "--offline", "--env-file", path_str(&missing)]);
    assert!(
        err.contains("cannot read env file") && err.contains("no such file"),
        "{err}"
    );
    assert!(err.contains("KEY=VALUE"), "{err}");

    let err = usage_error(&["send-test-span", "--env-file", path_str(dir.path())]);
    assert!(err.contains("it is a directory, not a file"), "{err}");

    let utf16 = dir.path().join("utf16.env");
    std::fs::write(&utf16, b"\xff\xfeO\0T\0E\0L\0_\0").unwrap();
    let err = usage_error(&["doctor", "--offline", "--env-file", path_str(&utf16)]);
    assert!(
        err.contains("UTF-16") && err.contains("save it as UTF-8"),
        "{err}"
    );
}

#[test]
fn unreadable_collector_config_says_why_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("otel-collector.yaml");
    let err = usage_error(&[
        "doctor",
        "--offline",
        "--collector-config",
        path_str(&missing),
    ]);
    assert!(err.contains("cannot read collector config") && err.contains("no such file"));
}

#[test]
fn analyze_refuses_missing_directory_and_empty_exports() {
    let dir = tempfile::tempdir().unwrap();
    let err = usage_error(&["analyze", path_str(&dir.path().join("trace.json"))]);
    assert!(err.contains("no such file") && err.contains("- to read standard input"));

    let err = usage_error(&["analyze", path_str(dir.path())]);
    assert!(err.contains("it is a directory, not a file"), "{err}");

    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, r#"{"data": []}"#).unwrap();
    let err = usage_error(&["analyze", path_str(&empty)]);
    assert!(
        err.contains("holds no spans (read as jaeger-json)") && err.contains("nothing to analyze"),
        "{err}"
    );
}

#[test]
fn select_names_the_command_that_runs_the_check() {
    let err = usage_error(&["doctor", "--offline", "--select", "TRC001"]);
    assert!(
        err.contains("run tracectl analyze FILE --select TRC001"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let spans = dir.path().join("spans.jsonl");
    std::fs::write(
        &spans,
        r#"{"name":"a","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","start_unix_nano":1,"end_unix_nano":2}"#,
    )
    .unwrap();
    let err = usage_error(&["analyze", path_str(&spans), "--select", "service-name"]);
    assert!(
        err.contains("run tracectl doctor --select service-name"),
        "{err}"
    );
}

#[test]
fn zero_and_malformed_durations_are_usage_errors() {
    for args in [
        &["doctor", "--timeout", "0"][..],
        &["send-test-span", "--timeout", "0s"],
    ] {
        let err = usage_error(args);
        assert!(err.contains("it must be at least 10ms"), "{args:?}: {err}");
    }
    for args in [
        &["send-test-span", "--rate", "10", "--duration", "0ms"][..],
        &["listen", "--duration", "0s"],
        &["listen", "--summary-every", "0s"],
    ] {
        let err = usage_error(args);
        assert!(err.contains("it must be longer than 0"), "{args:?}: {err}");
    }
    let err = usage_error(&["doctor", "--timeout", "soon"]);
    assert!(
        err.contains("write a number and a unit, e.g. 500ms"),
        "{err}"
    );
}

#[test]
fn send_refuses_bad_headers_and_tls_flags_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    // Port 9 (discard) is never reached: every case fails before the send.
    let send = |extra: &[&str]| {
        let mut args = vec!["send-test-span", "--endpoint", "http://127.0.0.1:9"];
        args.extend_from_slice(extra);
        usage_error(&args)
    };
    let err = send(&["--header", "bad name=x"]);
    assert!(err.contains("the header name `bad…` contains ` `"), "{err}");

    let missing = dir.path().join("ca.pem");
    let err = send(&["--ca-file", path_str(&missing)]);
    assert!(err.contains("cannot read the CA file") && err.contains("no such file"));

    let not_pem = dir.path().join("not.pem");
    std::fs::write(&not_pem, "hello\n").unwrap();
    let err = send(&["--ca-file", path_str(&not_pem)]);
    assert!(err.contains("holds no PEM certificate"), "{err}");

    let err = send(&["--client-cert", path_str(&not_pem)]);
    assert!(
        err.contains("needs both --client-cert and --client-key"),
        "{err}"
    );
}

#[test]
fn decode_header_names_an_unreadable_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = <std::process::Command as CommandCargoExt>::cargo_bin("tracectl")
        .unwrap()
        .env_clear()
        .env("NO_COLOR", "1")
        .arg("decode-header")
        .stdin(std::fs::File::open(dir.path()).unwrap())
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_clean(&err, &["decode-header"]);
    assert!(
        err.contains("cannot read the input: it is a directory"),
        "{err}"
    );
}

#[test]
fn grpc_load_against_a_closed_port_is_a_failed_run_not_a_usage_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let out = tracectl()
        .args([
            "send-test-span",
            "--protocol",
            "grpc",
            "--endpoint",
            &endpoint,
        ])
        .args(["--rate", "10", "--duration", "500ms", "--timeout", "500ms"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.contains("first error  could not connect"), "{text}");
}

/// Issue 11 item 8: each of these names the input the way the user wrote it, and the fix fits
/// the flag that was wrong.
#[test]
fn small_input_mistakes_get_their_own_sentence() {
    let err = usage_error(&["doctor", "--offline", "--severity", "SVC001"]);
    assert!(err.contains("--severity SVC001=warning"), "{err}");
    assert!(!err.contains("--set"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("config.yaml");
    std::fs::write(&binary, b"\x00\x01\x02receivers").unwrap();
    let binary = binary.to_str().unwrap();
    let err = usage_error(&["doctor", "--offline", "--collector-config", binary]);
    assert!(err.contains("is not a text file"), "{err}");

    let out = tracectl()
        .args(["analyze", "-"])
        .write_stdin("{}")
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: standard input is not a trace export"),
        "{err}"
    );
}

/// An empty collector config is one error (COL001), not one per check that finds nothing in it.
#[test]
fn an_empty_collector_config_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("config.yaml");
    std::fs::write(&empty, "# nothing yet\n").unwrap();
    let out = tracectl()
        .env("OTEL_SERVICE_NAME", "shop")
        .args([
            "doctor",
            "--offline",
            "--format",
            "json",
            "--collector-config",
        ])
        .arg(&empty)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(failed, ["COL001"], "{}", stdout_of(&out));
}
