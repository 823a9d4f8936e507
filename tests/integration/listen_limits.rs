//! `tracectl listen` under hostile load and as a CI sink: memory bounded in bytes (asserted from
//! the process's own peak RSS), idle and slow connections that cannot lock out real senders (the
//! Python SDK and send-test-span), and exit codes that fail a broken sender.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::listen::{Listen, closed_within, http_exchange, otel_send};
use crate::support::{self, peers};

/// The process's peak resident memory (VmHWM), in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read status");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kb * 1024
}

/// An OTLP protobuf request of `n` empty spans (two bytes each on the wire).
fn empty_spans_protobuf(n: usize) -> Vec<u8> {
    fn field(number: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![number << 3 | 2];
        let mut len = body.len();
        while len >= 0x80 {
            out.push((len as u8) | 0x80);
            len >>= 7;
        }
        out.push(len as u8);
        out.extend_from_slice(body);
        out
    }
    let spans: Vec<u8> = [0x12u8, 0x00].repeat(n);
    field(1, &field(2, &spans))
}

/// An OTLP JSON request of `n` empty span objects.
fn empty_spans_json(n: usize) -> Vec<u8> {
    let spans = vec!["{}"; n].join(",");
    format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#).into_bytes()
}

/// Posts `body` and reads the answer (with time to estimate millions of spans on a busy machine).
fn post(port: u16, content_type: &str, body: &[u8]) -> String {
    let head = format!(
        "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(&[head.as_bytes(), body].concat())
        .expect("write");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// Sends `message` as raw bytes with the real grpcio client; prints the status code name.
fn grpcio_raw(python: &std::path::Path, port: u16, message: &[u8]) -> String {
    let script = r#"
import sys, grpc
data = sys.stdin.buffer.read()
call = grpc.insecure_channel(sys.argv[1], options=[("grpc.max_send_message_length", 16 << 20)]).unary_unary(
    "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
try:
    call(data, timeout=20)
    print("OK")
except grpc.RpcError as e:
    print(e.code().name)
"#;
    let mut child = Command::new(python)
        .args(["-c", script, &format!("127.0.0.1:{port}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(message)
        .expect("write");
    let out = child.wait_with_output().expect("python");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn empty_span_bombs_are_refused_before_decoding_and_peak_memory_stays_in_the_budget() {
    let Some(python) = peers::python() else {
        return;
    };
    let listen = Listen::start(&["--only", "otlp-http,otlp-grpc", "--duration", "20s"]);
    let (http, grpc) = (listen.port("otlp-http"), listen.port("otlp-grpc"));
    // Just under 8 MiB each: millions of spans, gigabytes once decoded.
    let protobuf = empty_spans_protobuf((8 << 20) / 2 - 16);
    let json = empty_spans_json((8 << 20) / 3 - 40);
    let answers: Vec<String> = std::thread::scope(|s| {
        let mut sent = Vec::new();
        for _ in 0..3 {
            sent.push(s.spawn(|| post(http, "application/x-protobuf", &protobuf)));
        }
        sent.push(s.spawn(|| post(http, "application/json", &json)));
        sent.push(s.spawn(|| grpcio_raw(&python, grpc, &protobuf)));
        sent.into_iter()
            .map(|t| t.join().expect("sender"))
            .collect()
    });
    for answer in answers.iter().take(4) {
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.200}");
    }
    assert_eq!(answers[4], "RESOURCE_EXHAUSTED");
    let peak = peak_rss(listen.child.id());
    assert!(
        peak < 256 << 20,
        "peak RSS {peak} bytes is over the default --max-memory"
    );
    // gRPC refusals are counted and reported as their HTTP equivalents are.
    assert_eq!(grpcio_raw(&python, grpc, &[0xff, 0xff, 0xff]), "INTERNAL");
    assert_eq!(
        grpcio_raw(&python, grpc, &vec![0u8; 9 << 20]),
        "OUT_OF_RANGE"
    );
    // A real sender is still served.
    let sent = otel_send(&python, http, "http/protobuf", "after-bombs");
    assert_eq!(sent["ok"], true, "{sent}");
    let done = listen.finish(Duration::from_secs(30));
    let counters = &done.event("summary")["counters"];
    assert_eq!(counters["refused_memory"], 5, "{counters}");
    assert_eq!(counters["malformed"], 1, "{counters}");
    assert_eq!(counters["refused_oversize"], 1, "{counters}");
    assert_eq!(done.findings("LSN017").len(), 1, "{:?}", done.events);
    let malformed = done.findings("LSN012");
    assert!(
        malformed[0]["message"]
            .as_str()
            .unwrap()
            .contains("an OTLP gRPC message"),
        "{}",
        malformed[0]
    );
    assert_eq!(done.findings("LSN013")[0]["evidence"]["bytes"], 9 << 20);
    assert!(done.spans.iter().all(|s| s["service"] == "after-bombs"));
    assert_eq!(done.spans.len(), 2);
}

#[test]
fn idle_and_slow_connections_cannot_lock_out_real_senders() {
    let Some(python) = peers::python() else {
        return;
    };
    let listen = Listen::start(&["--only", "otlp-http,otlp-grpc", "--duration", "25s"]);
    let (http, grpc) = (listen.port("otlp-http"), listen.port("otlp-grpc"));
    // More than the 256 connections each listener holds: silent, a request head cut short,
    // or just the HTTP/2 preface.
    let mut held = Vec::new();
    for i in 0..300 {
        for (port, start) in [
            (http, &b"POST /v1/traces HTTP/1.1\r\nHost: x\r\n"[..]),
            (grpc, &b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"[..]),
        ] {
            let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
                continue;
            };
            if i % 2 == 0 {
                let _ = s.write_all(start);
            }
            held.push(s);
        }
    }
    std::thread::sleep(Duration::from_millis(1500));
    let sent = otel_send(&python, http, "http/protobuf", "py-http");
    assert_eq!(sent["ok"], true, "{sent}");
    let sent = otel_send(&python, grpc, "grpc", "py-grpc");
    assert_eq!(sent["ok"], true, "{sent}");
    support::tracectl()
        .args([
            "send-test-span",
            "--endpoint",
            &format!("http://127.0.0.1:{grpc}"),
        ])
        .args(["--protocol", "grpc", "--service", "stt", "--timeout", "10s"])
        .assert()
        .success();
    // A connection that sends nothing is closed within the head timeout (5 s).
    let (_silent, closed) = closed_within(http, Duration::from_secs(8));
    assert!(closed, "a silent connection is closed");
    drop(held);
    let done = listen.finish(Duration::from_secs(40));
    let mut services: Vec<&str> = done
        .spans
        .iter()
        .filter_map(|s| s["service"].as_str())
        .collect();
    services.sort_unstable();
    services.dedup();
    assert_eq!(services, ["py-grpc", "py-http", "stt"]);
    let counters = &done.event("summary")["counters"];
    assert!(counters["closed_idle"].as_u64().unwrap() > 0, "{counters}");
}

#[test]
fn as_a_ci_sink_a_broken_sender_fails_the_run_and_strict_fails_the_exporter_too() {
    let Some(python) = peers::python() else {
        return;
    };
    // Right port: exit 0.
    let listen = Listen::start(&[
        "--only",
        "otlp-grpc,otlp-http",
        "--count",
        "2",
        "--duration",
        "20s",
    ]);
    let sent = otel_send(&python, listen.port("otlp-grpc"), "grpc", "ok-app");
    assert_eq!(sent["ok"], true, "{sent}");
    let done = listen.finish(Duration::from_secs(30));
    assert_eq!(done.code, 0, "{:?}", done.events);

    // gRPC on the HTTP port: served (the exporter succeeds), but the run fails on LSN004.
    let listen = Listen::start(&[
        "--only",
        "otlp-grpc,otlp-http",
        "--count",
        "2",
        "--duration",
        "20s",
    ]);
    let sent = otel_send(&python, listen.port("otlp-http"), "grpc", "wrong-port");
    assert_eq!(sent["ok"], true, "{sent}");
    let done = listen.finish(Duration::from_secs(30));
    assert_eq!(done.code, 1, "{:?}", done.events);
    assert_eq!(done.findings("LSN004").len(), 1);
    assert_eq!(done.event("stopped")["failing_findings"], 1);

    // --strict: answered as an OTLP/HTTP receiver answers, so the real exporter fails too.
    let listen = Listen::start(&[
        "--only",
        "otlp-grpc,otlp-http",
        "--strict",
        "--duration",
        "4s",
    ]);
    let http = listen.port("otlp-http");
    let grpc_fix = format!("http://HOST:{}", listen.port("otlp-grpc"));
    let sent = otel_send(&python, http, "grpc", "strict-wrong-port");
    assert_eq!(sent["ok"], false, "{sent}");
    support::tracectl()
        .args([
            "send-test-span",
            "--endpoint",
            &format!("http://127.0.0.1:{http}"),
        ])
        .args(["--protocol", "grpc", "--timeout", "5s"])
        .assert()
        .code(1);
    let done = listen.finish(Duration::from_secs(30));
    assert_eq!(done.code, 1);
    assert!(done.spans.is_empty(), "{:?}", done.spans);
    let found = done.findings("LSN004");
    assert_eq!(found.len(), 1, "{:?}", done.events);
    assert!(
        found[0]["fix"].as_str().unwrap().contains(&grpc_fix),
        "{}",
        found[0]
    );

    // A warning (unnamed service) fails only with --fail-on warning.
    for (fail_on, code) in [("error", 0), ("warning", 1)] {
        let listen = Listen::start(&["--only", "otlp-grpc", "--count", "2", "--fail-on", fail_on]);
        let sent = otel_send(&python, listen.port("otlp-grpc"), "grpc", "");
        assert_eq!(sent["ok"], true, "{sent}");
        let done = listen.finish(Duration::from_secs(30));
        assert_eq!(done.findings("LSN007").len(), 1);
        assert_eq!(done.code, code, "--fail-on {fail_on}: {:?}", done.events);
    }
}

#[test]
fn the_summary_is_shown_once_query_values_are_redacted_and_the_banner_tells_exposure() {
    let listen = Listen::start(&[
        "--only",
        "otlp-grpc",
        "--duration",
        "3s",
        "--summary-every",
        "1s",
    ]);
    let grpc = listen.port("otlp-grpc");
    let answer = http_exchange(
        grpc,
        b"POST /v1/traces?api_key=s3cr3tk3y&tenant=acme HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert!(!answer.contains("s3cr3t"));
    support::tracectl()
        .args([
            "send-test-span",
            "--endpoint",
            &format!("http://127.0.0.1:{grpc}"),
        ])
        .args(["--protocol", "grpc", "--service", "once", "--timeout", "5s"])
        .assert()
        .success();
    let done = listen.finish(Duration::from_secs(20));
    let summaries = done
        .events
        .iter()
        .filter(|e| e["event"] == "summary")
        .count();
    assert_eq!(summaries, 1, "{:?}", done.events);
    let text = serde_json::to_string(&done.events).unwrap();
    assert!(!text.contains("s3cr3t") && !text.contains("acme"), "{text}");
    let lsn003 = done.findings("LSN003");
    assert_eq!(
        lsn003[0]["evidence"]["request"],
        "POST /v1/traces?api_key=<redacted>&tenant=<redacted> HTTP/1.1"
    );

    // One listener moved to 0.0.0.0: the banner must not say "loopback only".
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tracectl"))
        .env("NO_COLOR", "1")
        .args([
            "listen",
            "--only",
            "otlp-grpc,otlp-http",
            "--duration",
            "300ms",
        ])
        .args(["--otlp-grpc", "0.0.0.0:0", "--otlp-http", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stderr.take().expect("stderr"))
        .read_line(&mut first)
        .expect("banner");
    let _ = child.wait();
    assert!(!first.contains("loopback only"), "{first}");
    assert!(
        first.contains("otlp-grpc reachable from other machines"),
        "{first}"
    );
}
