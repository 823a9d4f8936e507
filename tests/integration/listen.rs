//! `tracectl listen` against real senders (OpenTelemetry Python SDK, PyPI and npm jaeger-client),
//! each also pointed at the wrong port, plus malformed input and a bounded flood. Every listener
//! binds 127.0.0.1:0; the ports are read from the `listening` event.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use tracectl::protocol::jaeger::{self, Encoding};
use tracectl::protocol::trace::{Shape, SpanKind, Status, Trace};

use crate::support::{self, peers};

const LISTENERS: [&str; 6] = [
    "--otlp-grpc",
    "--otlp-http",
    "--jaeger-compact",
    "--jaeger-binary",
    "--jaeger-http",
    "--zipkin",
];

/// A running `tracectl listen --format json` and the ports it bound.
pub(crate) struct Listen {
    pub(crate) child: Child,
    ports: HashMap<String, u16>,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
    banner: Value,
}

/// Reads a pipe to its end on a thread, so a full pipe never blocks the process.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

pub(crate) struct Finished {
    pub(crate) code: i32,
    pub(crate) spans: Vec<Value>,
    pub(crate) events: Vec<Value>,
}

impl Finished {
    pub(crate) fn findings(&self, id: &str) -> Vec<&Value> {
        self.events
            .iter()
            .filter(|e| e["event"] == "finding" && e["id"] == id)
            .collect()
    }

    pub(crate) fn event(&self, name: &str) -> &Value {
        self.events
            .iter()
            .rev()
            .find(|e| e["event"] == name)
            .unwrap_or_else(|| panic!("no {name} event in {:?}", self.events))
    }
}

impl Listen {
    pub(crate) fn start(extra: &[&str]) -> Listen {
        Listen::start_with(&[], extra)
    }

    /// `moved` replaces the 127.0.0.1:0 address of some listeners.
    pub(crate) fn start_with(moved: &[(&str, &str)], extra: &[&str]) -> Listen {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tracectl"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .args(["listen", "--format", "json"]);
        for flag in LISTENERS {
            let addr = moved
                .iter()
                .find(|(f, _)| *f == flag)
                .map_or("127.0.0.1:0", |(_, a)| a);
            cmd.args([flag, addr]);
        }
        let mut child = cmd
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tracectl listen");
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut line = String::new();
        stderr.read_line(&mut line).expect("read the banner");
        let banner: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the first stderr line is not JSON ({e}): {line}"));
        assert_eq!(banner["event"], "listening", "{banner}");
        let ports = banner["listeners"]
            .as_array()
            .expect("listeners")
            .iter()
            .map(|l| {
                (
                    l["listener"].as_str().unwrap_or_default().to_owned(),
                    l["port"]
                        .as_u64()
                        .and_then(|p| u16::try_from(p).ok())
                        .unwrap_or(0),
                )
            })
            .collect();
        let stdout = drain(child.stdout.take().expect("stdout"));
        Listen {
            child,
            ports,
            stdout,
            stderr: drain(stderr),
            banner,
        }
    }

    pub(crate) fn port(&self, listener: &str) -> u16 {
        self.ports[listener]
    }

    /// Waits (bounded) for the process to stop by itself and collects its output.
    pub(crate) fn finish(mut self, within: Duration) -> Finished {
        let until = Instant::now() + within;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!("tracectl listen did not stop within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let out = std::mem::replace(&mut self.stdout, drain(std::io::empty()))
            .join()
            .expect("stdout reader");
        let err = std::mem::replace(&mut self.stderr, drain(std::io::empty()))
            .join()
            .expect("stderr reader");
        let parse = |text: &str, what: &str| -> Vec<Value> {
            text.lines()
                .map(|l| {
                    serde_json::from_str(l)
                        .unwrap_or_else(|e| panic!("{what} line is not JSON ({e}): {l}"))
                })
                .collect()
        };
        Finished {
            code: status.code().unwrap_or(-1),
            spans: parse(&out, "stdout"),
            events: parse(&err, "stderr"),
        }
    }
}

impl Drop for Listen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn run_peer(program: &std::path::Path, args: &[String]) -> Value {
    let out = Command::new(program)
        .args(args)
        .env_remove("OTEL_SERVICE_NAME")
        .env_remove("OTEL_RESOURCE_ATTRIBUTES")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .stdin(Stdio::null())
        .output()
        .expect("run peer");
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("peer printed no JSON ({e}): {text}"))
}

pub(crate) fn otel_send(
    python: &std::path::Path,
    port: u16,
    protocol: &str,
    service: &str,
) -> Value {
    let args = [
        peers::script("otel_send.py").display().to_string(),
        "--endpoint".into(),
        format!("http://127.0.0.1:{port}"),
        "--protocol".into(),
        protocol.into(),
        "--service".into(),
        service.into(),
        "--spans".into(),
        "2".into(),
        "--timeout".into(),
        "1".into(),
    ];
    run_peer(python, &args)
}

fn node() -> Option<std::path::PathBuf> {
    peers::node_modules()?;
    Some(std::path::PathBuf::from("node"))
}

fn jaeger_js(mode: &str, port: u16, service: &str) -> Value {
    let args = [
        peers::script("jaeger_send.js").display().to_string(),
        "--mode".into(),
        mode.into(),
        "--port".into(),
        port.to_string(),
        "--service".into(),
        service.into(),
        "--spans".into(),
        "2".into(),
        "--timeout".into(),
        "2".into(),
    ];
    run_peer(std::path::Path::new("node"), &args)
}

fn services(spans: &[Value]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = spans
        .iter()
        .map(|s| {
            (
                s["service"].as_str().unwrap_or_default().to_owned(),
                s["protocol"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn python_sdk_spans_arrive_with_their_service_over_all_three_otlp_encodings() {
    let Some(python) = peers::python() else {
        return;
    };
    let listen = Listen::start(&["--count", "6", "--duration", "30s"]);
    let grpc = listen.port("otlp-grpc");
    let http = listen.port("otlp-http");
    for (port, protocol, service) in [
        (grpc, "grpc", "svc-grpc"),
        (http, "http/protobuf", "svc-protobuf"),
        (http, "http/json", "svc-json"),
    ] {
        let sent = otel_send(&python, port, protocol, service);
        assert_eq!(sent["ok"], true, "{protocol}: {sent}");
    }
    let done = listen.finish(Duration::from_secs(20));
    assert_eq!(done.code, 0, "{:?}", done.events);
    assert_eq!(
        services(&done.spans),
        [
            ("svc-grpc".into(), "otlp-grpc".into()),
            ("svc-json".into(), "otlp-http-json".into()),
            ("svc-protobuf".into(), "otlp-http-protobuf".into()),
        ]
    );
    for span in &done.spans {
        assert_eq!(span["trace_id"].as_str().unwrap().len(), 32);
        assert_eq!(span["span_id"].as_str().unwrap().len(), 16);
        assert!(span["resource"]["service.name"].is_string());
        assert!(span["start_unix_nano"].as_u64().unwrap() > 0);
    }
    assert_eq!(done.event("stopped")["reason"], "count");
    assert!(done.findings("LSN007").is_empty());
}

#[test]
fn python_sdk_at_the_wrong_otlp_port_is_named() {
    let Some(python) = peers::python() else {
        return;
    };
    let listen = Listen::start(&["--duration", "12s"]);
    let grpc = listen.port("otlp-grpc");
    let http = listen.port("otlp-http");
    let sent = otel_send(&python, grpc, "http/protobuf", "http-to-grpc");
    assert_eq!(sent["ok"], false, "{sent}");
    // Answered by the gRPC receiver behind the HTTP port, so the spans still show.
    let sent = otel_send(&python, http, "grpc", "grpc-to-http");
    assert_eq!(sent["ok"], true, "{sent}");
    let sent = otel_send(&python, http, "http/json", "");
    assert_eq!(sent["ok"], true, "{sent}");
    let done = listen.finish(Duration::from_secs(25));
    let http1 = done.findings("LSN003");
    assert_eq!(http1.len(), 1, "{:?}", done.events);
    assert!(
        http1[0]["evidence"]["request"]
            .as_str()
            .unwrap()
            .starts_with("POST /v1/traces HTTP/1.1"),
        "{}",
        http1[0]
    );
    let grpc_on_http = done.findings("LSN004");
    assert_eq!(grpc_on_http.len(), 1, "{:?}", done.events);
    assert!(
        grpc_on_http[0]["evidence"]["path"]
            .as_str()
            .unwrap()
            .contains("TraceService/Export")
    );
    assert!(
        grpc_on_http[0]["message"]
            .as_str()
            .unwrap()
            .contains("decoded the spans anyway"),
        "{}",
        grpc_on_http[0]
    );
    let handed_over: Vec<&Value> = done
        .spans
        .iter()
        .filter(|s| s["service"] == "grpc-to-http")
        .collect();
    assert_eq!(handed_over.len(), 2, "{:?}", done.spans);
    assert_eq!(handed_over[0]["protocol"], "otlp-grpc");
    assert_eq!(handed_over[0]["port"], http);
    let unnamed = done.findings("LSN007");
    assert_eq!(unnamed.len(), 1, "{:?}", done.events);
    assert_eq!(unnamed[0]["evidence"]["service"], "unknown_service:python");
}

#[test]
fn npm_binary_thrift_on_the_compact_port_is_named_and_still_shown() {
    let (Some(_), Some(python)) = (node(), peers::python()) else {
        return;
    };
    let listen = Listen::start(&["--duration", "12s"]);
    let compact = listen.port("jaeger-compact");
    let binary = listen.port("jaeger-binary");
    let jaeger_http = listen.port("jaeger-http");
    let otlp_http = listen.port("otlp-http");
    let wrong = jaeger_js("udp", compact, "node-wrong-port");
    assert_eq!(wrong["ok"], true, "{wrong}");
    let right = jaeger_js("udp", binary, "node-right-port");
    assert_eq!(right["ok"], true, "{right}");
    let over_http = jaeger_js("http", jaeger_http, "node-http");
    assert_eq!(over_http["ok"], true, "{over_http}");
    let http_wrong = jaeger_js("http", otlp_http, "node-http-wrong");
    assert_eq!(http_wrong["ok"], false, "{http_wrong}");
    let args = [
        peers::script("jaeger_send.py").display().to_string(),
        "--port".into(),
        binary.to_string(),
        "--service".into(),
        "py-wrong-port".into(),
        "--spans".into(),
        "2".into(),
    ];
    let py = run_peer(&python, &args);
    assert_eq!(py["ok"], true, "{py}");
    let args = [
        peers::script("jaeger_send.py").display().to_string(),
        "--port".into(),
        compact.to_string(),
        "--service".into(),
        "py-right-port".into(),
        "--spans".into(),
        "2".into(),
    ];
    assert_eq!(run_peer(&python, &args)["ok"], true);
    let done = listen.finish(Duration::from_secs(25));
    // The spans arrived, but LSN001 is an error: a CI sink fails the run.
    assert_eq!(done.code, 1, "{:?}", done.event("stopped"));

    let mismatch = done.findings("LSN001");
    assert_eq!(mismatch.len(), 1, "{:?}", done.events);
    let message = mismatch[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("binary belongs on {binary}, compact on {compact}")),
        "the ports listen bound, not the well-known ones: {message}"
    );
    assert_eq!(
        mismatch[0]["fix"],
        format!("point the client at the binary port: JAEGER_AGENT_PORT={binary}")
    );
    assert!(
        mismatch[0]["subject"]
            .as_str()
            .unwrap()
            .contains("node-wrong-port")
    );
    let reverse = done.findings("LSN002");
    assert_eq!(reverse.len(), 1, "{:?}", done.events);
    assert!(
        reverse[0]["subject"]
            .as_str()
            .unwrap()
            .contains("py-wrong-port")
    );
    let path = done.findings("LSN005");
    assert_eq!(path.len(), 1, "{:?}", done.events);
    assert_eq!(path[0]["evidence"]["path"], "/api/traces");

    let seen = services(&done.spans);
    for expected in [
        ("node-wrong-port", "jaeger-binary"),
        ("node-right-port", "jaeger-binary"),
        ("node-http", "jaeger-http"),
        ("py-wrong-port", "jaeger-compact"),
        ("py-right-port", "jaeger-compact"),
    ] {
        assert!(
            seen.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} missing from {seen:?}"
        );
    }
    let wrong_ids: Vec<&Value> = done
        .spans
        .iter()
        .filter(|s| s["service"] == "node-wrong-port")
        .collect();
    let sent: Vec<&str> = wrong["span_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for span in wrong_ids {
        assert!(sent.contains(&span["span_id"].as_str().unwrap()));
    }
}

fn compact_datagram(service: &str, spans: usize) -> Vec<u8> {
    let trace = Trace::synthetic(
        &Shape {
            service: service.into(),
            name: "op".into(),
            kind: SpanKind::Server,
            attributes: vec![],
            resource: vec![],
            events: vec![],
            status: Status::Unset,
            spans,
            parent: None,
        },
        SystemTime::now(),
    );
    jaeger::encode_emit_batch(&jaeger::batch_from_trace(&trace), Encoding::Compact, 1)
        .expect("encode")
}

pub(crate) fn http_exchange(port: u16, request: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    s.write_all(request).expect("write");
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn malformed_input_of_any_kind_is_counted_and_never_fatal() {
    let listen = Listen::start(&["--count", "2", "--duration", "20s"]);
    let udp = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
    let compact = listen.port("jaeger-compact");
    let binary = listen.port("jaeger-binary");
    let good = compact_datagram("after-garbage", 2);
    for bad in [
        vec![],
        vec![0x82],
        vec![0xff; 64],
        good[..good.len() / 2].to_vec(),
        vec![0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff],
    ] {
        udp.send_to(&bad, ("127.0.0.1", compact)).expect("send");
        udp.send_to(&bad, ("127.0.0.1", binary)).expect("send");
    }
    udp.send_to(&vec![0x82; 65_001], ("127.0.0.1", compact))
        .expect("send oversize");

    let grpc = listen.port("otlp-grpc");
    let mut garbage = TcpStream::connect(("127.0.0.1", grpc)).expect("connect");
    garbage.write_all(&[0u8; 64]).expect("write");
    drop(garbage);
    let mut tls = TcpStream::connect(("127.0.0.1", grpc)).expect("connect");
    tls.write_all(&[0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5])
        .expect("write");
    drop(tls);
    // Accepts and never sends anything: must not hold up anything else.
    let _silent = TcpStream::connect(("127.0.0.1", grpc)).expect("connect");

    let http = listen.port("otlp-http");
    let bad_json = b"POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{\"a\":";
    assert!(http_exchange(http, bad_json).starts_with("HTTP/1.1 400"));
    let bad_gzip = b"POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd";
    assert!(http_exchange(http, bad_gzip).starts_with("HTTP/1.1 400"));
    let huge = b"POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\n";
    assert!(http_exchange(http, huge).starts_with("HTTP/1.1 413"));
    let text = b"POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi";
    assert!(http_exchange(http, text).starts_with("HTTP/1.1 415"));
    let zipkin = listen.port("zipkin");
    let zeros = br#"[{"traceId":"00000000000000000000000000000000","id":"0000000000000000"}]"#;
    let req = format!(
        "POST /api/v2/spans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        zeros.len()
    );
    assert!(http_exchange(zipkin, &[req.as_bytes(), zeros].concat()).starts_with("HTTP/1.1 400"));

    udp.send_to(&good, ("127.0.0.1", compact))
        .expect("send good");
    let done = listen.finish(Duration::from_secs(15));
    // Every kind of garbage is an error finding: the run fails, and says why.
    assert_eq!(done.code, 1, "{:?}", done.events);
    assert!(done.event("stopped")["failing_findings"].as_u64().unwrap() >= 4);
    assert_eq!(
        services(&done.spans),
        [("after-garbage".into(), "jaeger-compact".into())]
    );
    let counters = &done.event("summary")["counters"];
    assert!(counters["malformed"].as_u64().unwrap() >= 10, "{counters}");
    assert_eq!(counters["refused_oversize"], 2, "{counters}");
    for id in ["LSN012", "LSN013", "LSN015", "LSN006"] {
        assert!(
            !done.findings(id).is_empty(),
            "{id} missing: {:?}",
            done.events
        );
    }
}

#[test]
fn a_flood_is_bounded_counted_and_survived() {
    let listen = Listen::start(&["--only", "jaeger-compact", "--duration", "3s"]);
    assert_eq!(listen.banner["listeners"].as_array().unwrap().len(), 1);
    let compact = listen.port("jaeger-compact");
    let udp = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
    let datagram = compact_datagram("flood", 20);
    let until = Instant::now() + Duration::from_millis(1500);
    let mut sent = 0u64;
    while Instant::now() < until {
        for _ in 0..100 {
            if udp.send_to(&datagram, ("127.0.0.1", compact)).is_ok() {
                sent += 20;
            }
        }
    }
    let done = listen.finish(Duration::from_secs(30));
    assert_eq!(done.code, 0);
    let summary = done.event("summary");
    let shown = summary["spans"].as_u64().unwrap();
    let dropped = summary["counters"]["dropped_spans"].as_u64().unwrap();
    assert_eq!(shown, done.spans.len() as u64);
    assert!(
        shown > 0 && shown + dropped <= sent,
        "shown {shown} dropped {dropped} sent {sent}"
    );
    if dropped > 0 {
        assert_eq!(done.findings("LSN014").len(), 1);
    }
}

#[test]
fn a_port_in_use_is_reported_and_the_others_start() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().unwrap().to_string();
    let listen = Listen::start_with(&[("--otlp-grpc", &addr)], &["--duration", "300ms"]);
    let failed = listen.banner["failed"].as_array().unwrap().clone();
    assert_eq!(failed.len(), 1, "{}", listen.banner);
    assert_eq!(failed[0]["listener"], "otlp-grpc");
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .contains("already in use")
    );
    assert_eq!(listen.ports.len(), 5);
    let done = listen.finish(Duration::from_secs(10));
    assert_eq!(done.code, 1, "no span arrived");
    assert_eq!(done.event("stopped")["reason"], "duration");
}

#[test]
fn human_output_shows_the_banner_and_aligned_span_lines() {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tracectl"));
    cmd.env_clear().env("NO_COLOR", "1").args([
        "listen",
        "--only",
        "jaeger-compact",
        "--count",
        "2",
        "--duration",
        "10s",
    ]);
    for flag in LISTENERS {
        cmd.args([flag, "127.0.0.1:0"]);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    let mut port = 0;
    while port == 0 {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "banner: {banner}");
        banner.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("jaeger-compact") {
            port = rest
                .split_whitespace()
                .nth(1)
                .and_then(|a| a.rsplit(':').next())
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
        }
    }
    assert!(banner.contains("loopback only"), "{banner}");
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.send_to(&compact_datagram("human", 2), ("127.0.0.1", port))
        .unwrap();
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    let text = support::stdout_of(&out);
    let spans: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("jaeger-compact :"))
        .collect();
    assert_eq!(spans.len(), 2, "{text}");
    let column = |l: &str| l[..l.find("jaeger-compact").unwrap()].chars().count();
    assert_eq!(column(spans[0]), column(spans[1]), "{text}");
    assert!(
        text.contains("summary: 2 span(s) · human 2 (jaeger-compact)"),
        "{text}"
    );
}

#[test]
fn explain_knows_the_listen_diagnoses() {
    support::tracectl()
        .args(["explain", "LSN001"])
        .assert()
        .success()
        .stdout(predicates::str::contains("thrift-binary-on-compact-port"))
        .stdout(predicates::str::contains("6832"));
    support::tracectl()
        .args(["explain", "wrong-http-path", "--format", "json"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\"family\": \"listen\""));
}

/// Sends a fixed trace with `tracectl send-test-span` (three spans, fixed trace id, attributes)
/// to a `tracectl listen` started with `args`, and returns its stdout and stderr once the spans
/// arrived.
fn listen_to_fixed_spans(format: &str) -> (String, String) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tracectl"));
    cmd.env_clear().env("NO_COLOR", "1").args([
        "listen",
        "--only",
        "otlp-grpc",
        "--otlp-grpc",
        "127.0.0.1:0",
        "--format",
        format,
        "--count",
        "3",
        "--duration",
        "20s",
    ]);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tracectl listen");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut banner = String::new();
    let port = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "banner: {banner}");
        banner.push_str(&line);
        let port = line
            .split(|c: char| !c.is_ascii_digit() && c != '.' && c != ':')
            .find_map(|w| w.strip_prefix("127.0.0.1:"))
            .and_then(|p| p.parse::<u16>().ok());
        if let Some(port) = port {
            break port;
        }
    };
    let rest = drain(stderr);
    support::tracectl()
        .args([
            "send-test-span",
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
            "--protocol",
            "grpc",
            "--service",
            "checkout",
            "--name",
            "GET /cart",
            "--kind",
            "server",
            "--spans",
            "3",
            "--attr",
            "http.route=/cart",
            "--resource-attr",
            "deployment.environment=test",
            "--parent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "--timeout",
            "15s",
        ])
        .assert()
        .success();
    let out = child.wait_with_output().expect("wait for tracectl listen");
    assert_eq!(out.status.code(), Some(0), "{}", support::stderr_of(&out));
    let err = banner + &rest.join().expect("stderr reader");
    (support::stdout_of(&out), err)
}

macro_rules! assert_listen_snapshot {
    ($name:expr, $text:expr) => {
        insta::with_settings!({filters => vec![
            (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", "[time]"),
            (r"(?m)^\d\d:\d\d:\d\d\.\d{3}", "[time]"),
            (r"\d{19}", "[unix-nano]"),
            (r"\b[0-9a-f]{16}\b", "[span-id]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
            (r" :\d+\b", " :[port]"),
            (r#""port":\d+"#, r#""port":[port]"#),
            (r" +\d+(\.\d+)?(ns|µs|ms|s)\b", "  [duration]"),
            (r#""(telemetry\.sdk\.version|service\.version)":"[^"]*""#, r#""$1":"[version]""#),
        ]}, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

#[test]
fn listen_human_output_for_fixed_spans() {
    let (out, err) = listen_to_fixed_spans("human");
    assert_listen_snapshot!("listen_human_stdout", out);
    assert_listen_snapshot!("listen_human_stderr", err);
}

#[test]
fn listen_json_lines_for_fixed_spans() {
    let (out, err) = listen_to_fixed_spans("json");
    assert_eq!(out.lines().count(), 3, "{out}");
    assert_listen_snapshot!("listen_json_stdout", out);
    assert_listen_snapshot!("listen_json_stderr", err);
}

/// Opens a TCP connection and says whether the server closed it within `wait`, unprompted.
pub(crate) fn closed_within(port: u16, wait: Duration) -> (TcpStream, bool) {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8; 1];
    let closed = match (&stream).read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    };
    (stream, closed)
}

#[test]
fn connections_over_the_limit_are_closed_counted_and_reported() {
    let listen = Listen::start(&["--max-connections", "2", "--duration", "8s"]);
    let (kept, refused) = (Duration::from_millis(300), Duration::from_secs(2));
    for listener in ["otlp-grpc", "otlp-http"] {
        let port = listen.port(listener);
        let (first, closed) = closed_within(port, kept);
        assert!(!closed, "{listener}: the first connection is kept");
        let (second, closed) = closed_within(port, kept);
        assert!(!closed, "{listener}: the second connection is kept");
        let (_third, closed) = closed_within(port, refused);
        assert!(closed, "{listener}: the third connection is over the limit");
        drop((first, second));
    }
    // The server frees a slot once it reads the close.
    std::thread::sleep(Duration::from_secs(1));
    let (_again, closed) = closed_within(listen.port("otlp-http"), kept);
    assert!(!closed, "a slot is free again once a connection closes");
    let done = listen.finish(Duration::from_secs(15));
    assert_eq!(done.event("summary")["counters"]["refused_connections"], 2);
    let found = done.findings("LSN016");
    assert_eq!(found.len(), 1, "{:?}", done.events);
    assert_eq!(found[0]["evidence"]["refused_connections"], 2);
}
