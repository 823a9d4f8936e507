//! check-propagation's output: human and JSON pinned for a service written here that forwards the
//! incoming traceparent and baggage unchanged to the downstream, with a credential header; the CI
//! formats (SARIF, JUnit, GitHub, Markdown) for one that drops them, validated by real parsers.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use crate::support::peers::free_port;
use crate::support::{stdout_of, tracectl};

/// Answers every request after calling `downstream` once, with the incoming trace headers when
/// `forward` is set.
fn service(downstream: u16, forward: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && client.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let text = String::from_utf8_lossy(&head).to_string();
            let forwarded: String = text
                .split("\r\n")
                .filter(|l| {
                    let l = l.to_ascii_lowercase();
                    forward && (l.starts_with("traceparent:") || l.starts_with("baggage:"))
                })
                .map(|l| format!("{l}\r\n"))
                .collect();
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", downstream)) {
                let _ = write!(
                    s,
                    "GET /pay HTTP/1.1\r\nhost: payments\r\nauthorization: Bearer secret-token-123456\r\n{forwarded}connection: close\r\n\r\n"
                );
                let mut answer = Vec::new();
                let _ = s.read_to_end(&mut answer);
            }
            let _ = client
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    port
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");
    s.add_filter(r"\d+(\.\d+)? ms\b", "[ms] ms");
    s.add_filter(
        r#""(elapsed_ms|after_request_ms)": [\d.]+"#,
        r#""$1": "[ms]""#,
    );
    s
}

fn run(format: &str) -> (i32, String) {
    run_against(format, true)
}

fn run_against(format: &str, forward: bool) -> (i32, String) {
    let downstream = free_port();
    let port = service(downstream, forward);
    let out = tracectl()
        .args([
            "check-propagation",
            "--format",
            format,
            "--downstream",
            &downstream.to_string(),
        ])
        .args([
            "--trace-id",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "--parent-id",
            "00f067aa0ba902b7",
        ])
        .arg(format!("http://127.0.0.1:{port}/checkout"))
        .output()
        .expect("run tracectl");
    (out.status.code().unwrap_or(-1), stdout_of(&out))
}

#[test]
fn human_output_is_pinned() {
    let (code, out) = run("human");
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("secret-token"));
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn json_output_is_pinned() {
    let (code, out) = run("json");
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("secret-token"));
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn ci_formats_report_one_check_per_verdict() {
    let (code, sarif) = run_against("sarif", false);
    assert_eq!(code, 1, "the context was not forwarded: {sarif}");
    assert!(!sarif.contains("secret-token"));
    let doc: serde_json::Value = serde_json::from_str(&sarif).expect("stdout is the SARIF alone");
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{sarif}");
    assert_eq!(results[0]["ruleId"], "PRP002");
    assert_eq!(results[0]["level"], "error");
    if crate::reports::validate("sarif", &sarif).is_none() {
        return;
    }
    let (_, junit) = run_against("junit", false);
    let seen = crate::reports::validate("junit", &junit).expect("junitparser");
    let cases: Vec<&serde_json::Value> = seen["suites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap())
        .collect();
    assert_eq!(
        cases.len(),
        tracectl::check_propagation::VERDICTS.len(),
        "{seen}"
    );
    let result = |id: &str| {
        cases
            .iter()
            .find(|c| c["name"].as_str().unwrap().starts_with(id))
            .map(|c| c["result"].clone())
            .unwrap()
    };
    assert_eq!(result("PRP002"), "failure");
    assert_eq!(result("PRP007"), "passed");
    assert_eq!(result("PRP003"), "skipped", "no span receiver was given");
    assert_eq!(result("PRP010"), "passed", "decided on the calls alone");
    let (_, github) = run_against("github", false);
    assert!(github.starts_with("::error title=PRP002"), "{github}");
    let (_, markdown) = run_against("markdown", false);
    assert!(markdown.contains("`PRP002` not-injected"), "{markdown}");
    assert!(!markdown.contains("sdk `"), "{markdown}");
    let (code, clean) = run_against("sarif", true);
    assert_eq!(code, 0, "{clean}");
    let doc: serde_json::Value = serde_json::from_str(&clean).unwrap();
    assert_eq!(doc["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn a_password_in_the_target_url_is_redacted_in_every_format() {
    let downstream = free_port();
    let port = service(downstream, true);
    for format in ["human", "json", "sarif", "junit", "markdown", "github"] {
        let out = tracectl()
            .args(["check-propagation", "--format", format, "--downstream"])
            .arg(downstream.to_string())
            .arg(format!(
                "http://deploy:hunter2-pw@127.0.0.1:{port}/checkout"
            ))
            .output()
            .expect("run tracectl");
        let text = stdout_of(&out);
        if matches!(format, "human" | "json") {
            assert!(
                text.contains("127.0.0.1"),
                "{format}: the target is reported: {text}"
            );
        }
        assert!(!text.contains("hunter2-pw"), "{format}: {text}");
    }
}
