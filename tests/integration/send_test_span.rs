//! `tracectl send-test-span` against real peers (rotel, the PyPI jaeger-client's generated thrift
//! code) and against hostile receivers written here. Loopback only, ports picked by the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use serde_json::Value;

use crate::support::peers::{Rotel, python, script};

/// `tracectl send-test-span` with a clean environment.
fn tracectl() -> Command {
    let mut cmd = crate::support::tracectl();
    cmd.arg("send-test-span");
    cmd
}

/// Runs the command and returns (exit code, receipt JSON).
pub fn send(args: &[&str]) -> (i32, Value) {
    let out = tracectl()
        .args(args)
        .args(["--format", "json", "--timeout", "2s"])
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

/// (trace id, parent id, span id, name) for every span block in rotel's debug log.
fn rotel_spans(text: &str) -> Vec<(String, String, String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let field = |line: &str, key: &str| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_owned())
    };
    lines
        .windows(4)
        .filter_map(|w| {
            Some((
                field(w[0], "Trace ID")?,
                field(w[1], "Parent ID")?,
                field(w[2], "ID")?,
                field(w[3], "Name")?,
            ))
        })
        .collect()
}

#[test]
fn rotel_receives_the_trace_over_every_otlp_protocol() {
    let Some(rotel) = Rotel::start() else {
        return;
    };
    for (protocol, port) in [
        ("grpc", rotel.grpc_port),
        ("http/protobuf", rotel.http_port),
        ("http/json", rotel.http_port),
    ] {
        let endpoint = format!("http://127.0.0.1:{port}");
        let service = format!("svc-{}", protocol.replace('/', "-"));
        let (code, receipt) = send(&[
            "--endpoint",
            &endpoint,
            "--protocol",
            protocol,
            "--service",
            &service,
            "--name",
            "root-op",
            "--spans",
            "3",
            "--attr",
            "n=7",
        ]);
        assert_eq!(code, 0, "{receipt}");
        assert_eq!(receipt["verdict"], "accepted");
        let trace_id = receipt["trace_id"].as_str().unwrap().to_owned();
        let ids: Vec<String> = receipt["span_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        // rotel dumps a request in one write, the last span sent last.
        let log = rotel
            .wait_for_log(&ids[2], Duration::from_secs(5))
            .unwrap_or_else(|| rotel.log_text());
        let seen: Vec<_> = rotel_spans(&log)
            .into_iter()
            .filter(|s| s.0 == trace_id)
            .collect();
        assert_eq!(seen.len(), 3, "{protocol}: rotel logged {seen:?}");
        let root = seen.iter().find(|s| s.2 == ids[0]).expect("root logged");
        assert_eq!((root.1.as_str(), root.3.as_str()), ("", "root-op"));
        for child in seen.iter().filter(|s| s.2 != ids[0]) {
            assert_eq!(child.1, ids[0], "{protocol}: children point at the root");
            assert!(child.3.starts_with("root-op child"));
        }
        assert!(
            log.contains(&format!("service.name: Str({service})")),
            "{protocol}"
        );
    }
}

fn jaeger_decode(py: &Path, bytes: &[u8], protocol: &str, agent: bool) -> Value {
    let mut cmd = Process::new(py);
    cmd.arg(script("jaeger_decode.py"))
        .args(["--protocol", protocol]);
    if agent {
        cmd.arg("--agent");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn decoder");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice(&out.stdout).expect("decoder JSON")
}

fn check_jaeger_batch(decoded: &Value, receipt: &Value) {
    assert!(decoded.get("error").is_none(), "{decoded}");
    assert_eq!(decoded["process"]["serviceName"], "jsvc");
    assert_eq!(
        decoded["process"]["tags"][0]["key"],
        "deployment.environment"
    );
    assert_eq!(decoded["trailingBytes"], 0);
    assert_eq!(decoded["skippedFields"], serde_json::json!([]));
    let spans = decoded["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 2);
    let root = &spans[0];
    assert_eq!(root["traceId"], receipt["trace_id"]);
    assert_eq!(root["spanIdHex"], receipt["span_ids"][0]);
    assert_eq!(root["parentSpanId"], 0);
    assert_eq!(root["operationName"], "jop");
    assert_eq!(root["flags"], 1);
    let tags: Vec<(String, Value)> = root["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["key"].as_str().unwrap().to_owned(), t["value"].clone()))
        .collect();
    for (k, v) in [
        ("i", serde_json::json!(42)),
        ("f", serde_json::json!(2.5)),
        ("b", serde_json::json!(true)),
        ("s", serde_json::json!("text")),
        ("span.kind", serde_json::json!("client")),
        ("otel.status_code", serde_json::json!("ERROR")),
        ("error", serde_json::json!(true)),
    ] {
        assert!(
            tags.contains(&(k.to_owned(), v.clone())),
            "{k}={v} in {tags:?}"
        );
    }
    assert_eq!(root["logs"][0]["fields"][0]["value"], "boom");
    let child = &spans[1];
    assert_eq!(child["parentSpanIdHex"], receipt["span_ids"][0]);
    assert_eq!(child["references"][0]["refTypeName"], "CHILD_OF");
    assert_eq!(child["spanIdHex"], receipt["span_ids"][1]);
    assert!(child["startTime"].as_i64() >= root["startTime"].as_i64());
}

const JAEGER_SHAPE: &[&str] = &[
    "--service",
    "jsvc",
    "--name",
    "jop",
    "--kind",
    "client",
    "--spans",
    "2",
    "--attr",
    "i=42",
    "--attr",
    "f=2.5",
    "--attr",
    "b=true",
    "--attr",
    "s=text",
    "--resource-attr",
    "deployment.environment=ci",
    "--event",
    "boom",
    "--status",
    "error",
];

#[test]
fn jaeger_clients_generated_code_reads_every_field_sent_over_udp() {
    let Some(py) = python() else { return };
    for (protocol, encoding) in [
        ("jaeger-udp-compact", "compact"),
        ("jaeger-udp-binary", "binary"),
    ] {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let endpoint = format!("127.0.0.1:{}", socket.local_addr().unwrap().port());
        let mut args = vec!["--protocol", protocol, "--endpoint", &endpoint];
        args.extend_from_slice(JAEGER_SHAPE);
        let (code, receipt) = send(&args);
        assert_eq!(code, 0, "{receipt}");
        assert_eq!(receipt["verdict"], "sent");
        assert_eq!(receipt["answer"]["datagrams"], 1);
        let mut buf = vec![0u8; 65536];
        let n = socket.recv(&mut buf).expect("a datagram");
        let decoded = jaeger_decode(&py, &buf[..n], encoding, true);
        assert_eq!(decoded["message"]["typeName"], "ONEWAY");
        check_jaeger_batch(&decoded, &receipt);
    }
}

#[test]
fn a_closed_udp_port_is_reported_unreachable() {
    let port = {
        let s = UdpSocket::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap().port()
    };
    let endpoint = format!("127.0.0.1:{port}");
    let (code, receipt) = send(&["--protocol", "jaeger-udp-compact", "--endpoint", &endpoint]);
    assert_eq!(code, 1, "{receipt}");
    assert!(
        receipt["cause"]["summary"]
            .as_str()
            .unwrap()
            .contains("nothing listens on UDP")
    );
}

/// A one-request HTTP/1.1 server: answers `status` with `body`, hands back the request body.
fn http_once(
    status: u16,
    content_type: &str,
    body: &'static [u8],
) -> (u16, mpsc::Receiver<(String, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    let content_type = content_type.to_owned();
    thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            head.push_str(&line);
        }
        let mut request = vec![0u8; length];
        let _ = reader.read_exact(&mut request);
        let mut stream = reader.into_inner();
        let _ = write!(
            stream,
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(body);
        let _ = tx.send((head, request));
    });
    (port, rx)
}

#[test]
fn jaeger_clients_generated_code_reads_the_http_thrift_batch() {
    let Some(py) = python() else { return };
    let (port, rx) = http_once(202, "text/plain", b"");
    let endpoint = format!("http://127.0.0.1:{port}");
    let mut args = vec!["--protocol", "jaeger-http", "--endpoint", &endpoint];
    args.extend_from_slice(JAEGER_SHAPE);
    let (code, receipt) = send(&args);
    assert_eq!(code, 0, "{receipt}");
    assert_eq!(receipt["answer"]["http_status"], 202);
    let (head, body) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(head.starts_with("POST /api/traces HTTP/1.1"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/x-thrift")
    );
    check_jaeger_batch(&jaeger_decode(&py, &body, "binary", false), &receipt);
}

#[test]
fn zipkin_spans_follow_the_v2_model() {
    let (port, rx) = http_once(202, "text/plain", b"");
    let endpoint = format!("http://127.0.0.1:{port}");
    let (code, receipt) = send(&[
        "--protocol",
        "zipkin",
        "--endpoint",
        &endpoint,
        "--spans",
        "2",
        "--kind",
        "server",
        "--attr",
        "n=1",
        "--service",
        "zsvc",
    ]);
    assert_eq!(code, 0, "{receipt}");
    let (head, body) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(head.starts_with("POST /api/v2/spans HTTP/1.1"), "{head}");
    let spans: Value = serde_json::from_slice(&body).unwrap();
    let spans = spans.as_array().unwrap();
    assert_eq!(spans.len(), 2);
    let hex = |v: &Value, len: usize| {
        let s = v.as_str().unwrap_or_default();
        s.len() == len
            && s.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    for s in spans {
        assert!(hex(&s["traceId"], 32) && hex(&s["id"], 16), "{s}");
        assert!(
            s["timestamp"].is_u64() && s["duration"].as_u64() >= Some(1),
            "{s}"
        );
        assert_eq!(s["localEndpoint"]["serviceName"], "zsvc");
        for (_, v) in s["tags"].as_object().unwrap() {
            assert!(v.is_string(), "v2 tags are strings: {s}");
        }
    }
    assert_eq!(spans[0]["kind"], "SERVER");
    assert_eq!(spans[0]["tags"]["n"], "1");
    assert_eq!(spans[1]["parentId"], spans[0]["id"]);
    assert_eq!(spans[0]["traceId"], receipt["trace_id"]);
}

#[test]
fn a_500_is_rejected_with_the_status_and_body() {
    let (port, _rx) = http_once(500, "text/plain", b"exporter queue is full");
    let endpoint = format!("http://127.0.0.1:{port}");
    let (code, receipt) = send(&["--protocol", "http/protobuf", "--endpoint", &endpoint]);
    assert_eq!(code, 1);
    assert_eq!(receipt["verdict"], "rejected");
    assert_eq!(receipt["answer"]["http_status"], 500);
    let why = receipt["cause"]["summary"].as_str().unwrap();
    assert!(
        why.contains("HTTP 500") && why.contains("exporter queue is full"),
        "{why}"
    );
}

#[test]
fn partial_success_is_a_partial_rejection() {
    let (port, _rx) = http_once(
        200,
        "application/json",
        br#"{"partialSuccess":{"rejectedSpans":"2","errorMessage":"spans too old"}}"#,
    );
    let endpoint = format!("http://127.0.0.1:{port}");
    let (code, receipt) = send(&[
        "--protocol",
        "http/json",
        "--endpoint",
        &endpoint,
        "--spans",
        "3",
    ]);
    assert_eq!(code, 1, "{receipt}");
    assert_eq!(receipt["verdict"], "partially_rejected");
    assert_eq!(receipt["answer"]["partial_success"]["rejected_spans"], 2);
    assert!(
        receipt["cause"]["summary"]
            .as_str()
            .unwrap()
            .contains("refused 2 span(s): spans too old")
    );
}

#[test]
fn a_receiver_that_never_answers_is_named() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hold = thread::spawn(move || {
        let mut held = Vec::new();
        listener.set_nonblocking(true).unwrap();
        let end = Instant::now() + Duration::from_secs(4);
        while Instant::now() < end {
            if let Ok((s, _)) = listener.accept() {
                held.push(s);
            }
            thread::sleep(Duration::from_millis(10));
        }
    });
    let endpoint = format!("http://127.0.0.1:{port}");
    let out = tracectl()
        .args([
            "--protocol",
            "http/protobuf",
            "--endpoint",
            &endpoint,
            "--timeout",
            "500ms",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let receipt: Value = serde_json::from_slice(&out.stdout).unwrap();
    let why = receipt["cause"]["summary"].as_str().unwrap();
    assert!(why.contains("never answers"), "{why}");
    drop(hold);
}

#[test]
fn grpc_to_an_http1_port_says_grpc_cannot_work_there() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        // Every connection tonic opens, and the fingerprint's, each answered on its own.
        for mut stream in listener.incoming().take(64).flatten() {
            thread::spawn(move || {
                stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
                let mut buf = [0u8; 1024];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            });
        }
    });
    let endpoint = format!("http://127.0.0.1:{port}");
    let (code, receipt) = send(&["--protocol", "grpc", "--endpoint", &endpoint]);
    assert_eq!(code, 1, "{receipt}");
    let why = receipt["cause"]["summary"].as_str().unwrap();
    assert!(
        why.contains("answers HTTP/1.1") && why.contains("gRPC cannot work here"),
        "{why}"
    );
    assert!(
        receipt["cause"]["fix"]
            .as_str()
            .unwrap()
            .contains("http/protobuf")
    );
}

#[test]
fn https_to_a_plaintext_port_is_a_tls_mismatch() {
    let Some(rotel) = Rotel::start() else {
        return;
    };
    let endpoint = format!("https://127.0.0.1:{}", rotel.http_port);
    let (code, receipt) = send(&["--protocol", "http/protobuf", "--endpoint", &endpoint]);
    assert_eq!(code, 1, "{receipt}");
    let why = receipt["cause"]["summary"].as_str().unwrap();
    assert!(why.contains("TLS"), "{why}");
    let (code, receipt) = send(&[
        "--protocol",
        "grpc",
        "--endpoint",
        &format!("127.0.0.1:{}", rotel.grpc_port),
    ]);
    assert_eq!(code, 1, "{receipt}");
    assert!(
        receipt["cause"]["summary"]
            .as_str()
            .unwrap()
            .contains("does not speak TLS")
    );
}

#[test]
fn headers_are_redacted_and_bad_flags_are_usage_errors() {
    let (port, rx) = http_once(200, "application/x-protobuf", b"");
    let endpoint = format!("http://127.0.0.1:{port}");
    let out = tracectl()
        .env("OTEL_EXPORTER_OTLP_HEADERS", "api-key=supersecretvalue")
        .args([
            "--protocol",
            "http/protobuf",
            "--endpoint",
            &endpoint,
            "--timeout",
            "2s",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("api-key") && !text.contains("supersecretvalue"),
        "{text}"
    );
    let (head, _) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(
        head.contains("api-key: supersecretvalue"),
        "the header is sent in clear: {head}"
    );
    tracectl().args(["--attr", "novalue"]).assert().code(2);
    tracectl().args(["--parent", "00-bad"]).assert().code(2);
    tracectl().args(["--protocol", "nope"]).assert().code(2);
}

/// A gRPC TraceService that takes every request and refuses all but one span of each.
struct PartialGrpcPeer;

#[tonic::async_trait]
impl TraceService for PartialGrpcPeer {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let spans: usize = request
            .get_ref()
            .resource_spans
            .iter()
            .flat_map(|r| &r.scope_spans)
            .map(|s| s.spans.len())
            .sum();
        Ok(tonic::Response::new(ExportTraceServiceResponse {
            partial_success: Some(ExportTracePartialSuccess {
                rejected_spans: i64::try_from(spans).unwrap_or(i64::MAX) - 1,
                error_message: "span limit per trace exceeded".into(),
            }),
        }))
    }
}

#[test]
fn grpc_partial_success_is_a_partial_rejection() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    runtime.spawn(
        tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(PartialGrpcPeer))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener)),
    );
    let endpoint = format!("http://127.0.0.1:{port}");
    let (code, receipt) = send(&[
        "--protocol",
        "grpc",
        "--endpoint",
        &endpoint,
        "--spans",
        "4",
    ]);
    assert_eq!(code, 1, "{receipt}");
    assert_eq!(receipt["verdict"], "partially_rejected");
    assert_eq!(receipt["answer"]["grpc_code"], "OK");
    let partial = &receipt["answer"]["partial_success"];
    assert_eq!(partial["rejected_spans"], 3);
    assert_eq!(partial["error_message"], "span limit per trace exceeded");
    let why = receipt["cause"]["summary"].as_str().unwrap();
    assert!(
        why.contains("refused 3 span(s): span limit per trace exceeded"),
        "{why}"
    );
}

/// tests/peers/otlp_receiver.py: opentelemetry-proto's generated code decoding what it receives,
/// one JSON line per request in `out`. Killed when dropped.
struct OtlpReceiver {
    grpc_port: u16,
    http_port: u16,
    out: tempfile::NamedTempFile,
    child: std::process::Child,
}

impl OtlpReceiver {
    fn start(py: &Path) -> OtlpReceiver {
        let out = tempfile::NamedTempFile::new().expect("temp file");
        let mut child = Process::new(py)
            .arg(script("otlp_receiver.py"))
            .arg("--out")
            .arg(out.path())
            .args(["--max-seconds", "60"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn otlp_receiver.py");
        let mut ready = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut ready)
            .expect("ready line");
        let ready: Value = serde_json::from_str(&ready).expect("ready JSON");
        let port = |k: &str| ready[k].as_u64().and_then(|p| u16::try_from(p).ok());
        OtlpReceiver {
            grpc_port: port("grpc_port").expect("grpc port"),
            http_port: port("http_port").expect("http port"),
            out,
            child,
        }
    }

    /// The decoded request that carried `trace_id`.
    fn request_with(&self, trace_id: &str) -> Value {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            let text = std::fs::read_to_string(self.out.path()).unwrap_or_default();
            let found = text
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .find(|r| r["spans"][0]["trace_id"] == trace_id);
            if let Some(request) = found {
                return request;
            }
            assert!(Instant::now() < until, "no request with {trace_id}: {text}");
            thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for OtlpReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn opentelemetry_proto_decodes_every_field_sent_over_every_otlp_protocol() {
    let Some(py) = python() else { return };
    let receiver = OtlpReceiver::start(&py);
    for (protocol, port, transport) in [
        ("grpc", receiver.grpc_port, "grpc"),
        ("http/protobuf", receiver.http_port, "http-protobuf"),
        ("http/json", receiver.http_port, "http-json"),
    ] {
        let endpoint = format!("http://127.0.0.1:{port}");
        let (code, receipt) = send(&[
            "--protocol",
            protocol,
            "--endpoint",
            &endpoint,
            "--service",
            "second-opinion",
            "--name",
            "decoded-op",
            "--kind",
            "server",
            "--spans",
            "3",
            "--attr",
            "i=42",
            "--attr",
            "f=2.5",
            "--attr",
            "b=true",
            "--attr",
            "s=text",
            "--resource-attr",
            "deployment.environment=ci",
        ]);
        assert_eq!(code, 0, "{protocol}: {receipt}");
        let trace_id = receipt["trace_id"].as_str().unwrap();
        let request = receiver.request_with(trace_id);
        assert_eq!(request["transport"], transport);
        let resource = &request["resources"][0];
        assert_eq!(resource["service_name"], "second-opinion", "{protocol}");
        assert_eq!(resource["attributes"]["deployment.environment"], "ci");
        let spans = request["spans"].as_array().unwrap();
        assert_eq!(spans.len(), 3, "{protocol}: {request}");
        let root_id = &receipt["span_ids"][0];
        for (span, id) in spans.iter().zip(receipt["span_ids"].as_array().unwrap()) {
            assert_eq!(span["trace_id"], trace_id, "{protocol}");
            assert_eq!(&span["span_id"], id, "{protocol}");
            assert_eq!(span["service_name"], "second-opinion");
            assert!(
                span["end_time_unix_nano"].as_u64() > span["start_time_unix_nano"].as_u64(),
                "{protocol}: {span}"
            );
        }
        let root = &spans[0];
        assert_eq!(root["parent_span_id"], "", "{protocol}");
        assert_eq!(root["name"], "decoded-op");
        assert_eq!(root["kind_name"], "SPAN_KIND_SERVER");
        assert_eq!(
            root["attributes"],
            serde_json::json!({"i": 42, "f": 2.5, "b": true, "s": "text"}),
            "{protocol}: typed attributes"
        );
        for child in &spans[1..] {
            assert_eq!(&child["parent_span_id"], root_id, "{protocol}");
            assert!(
                child["name"]
                    .as_str()
                    .unwrap()
                    .starts_with("decoded-op child")
            );
        }
    }
}

macro_rules! assert_receipt_pinned {
    ($name:literal, $text:expr) => {
        insta::with_settings!({filters => vec![
            (r"[0-9a-f]{32}", "[trace-id]"),
            (r"\b[0-9a-f]{16}\b", "[span-id]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
            (r"in \d+\.\d ms", "in [latency]"),
            (r"after \d+\.\d s \(\d+ attempt\(s\)\)", "after [waited]"),
            (r#""(latency_ms|waited_ms)": [\d.]+"#, r#""$1": "[ms]""#),
            (r#""attempts": \d+"#, r#""attempts": "[n]""#),
        ]}, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

/// The receipt of 2 spans sent over OTLP/HTTP and read back, in `format`.
fn verified_receipt(format: &str) -> String {
    let backend =
        crate::support::fake_jaeger::FakeJaeger::start(crate::support::fake_jaeger::Api::V3);
    let url = backend.url();
    let out = tracectl()
        .args(["--protocol", "http/protobuf", "--endpoint", &url])
        .args([
            "--service",
            "checkout",
            "--spans",
            "2",
            "--header",
            "x-api-key=abcdef123456",
        ])
        .args([
            "--verify",
            &url,
            "--verify-timeout",
            "5s",
            "--format",
            format,
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        crate::support::stderr_of(&out)
    );
    crate::support::stdout_of(&out)
}

#[test]
fn the_human_receipt_is_pinned() {
    assert_receipt_pinned!("send_receipt_human", verified_receipt("human"));
}

#[test]
fn the_json_receipt_is_pinned() {
    assert_receipt_pinned!("send_receipt_json", verified_receipt("json"));
}

#[test]
fn the_human_receipt_of_a_rejection_is_pinned() {
    let (port, _rx) = http_once(503, "text/plain", b"collector is shutting down");
    let endpoint = format!("http://127.0.0.1:{port}");
    let out = tracectl()
        .args([
            "--protocol",
            "http/json",
            "--endpoint",
            &endpoint,
            "--timeout",
            "2s",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_receipt_pinned!(
        "send_receipt_rejected_human",
        crate::support::stdout_of(&out)
    );
}

#[test]
fn load_mode_is_accepted_by_rotel_over_grpc_and_http() {
    let Some(rotel) = Rotel::start() else {
        return;
    };
    for (protocol, port) in [
        ("grpc", rotel.grpc_port),
        ("http/protobuf", rotel.http_port),
        ("http/json", rotel.http_port),
    ] {
        let endpoint = format!("http://127.0.0.1:{port}");
        let out = tracectl()
            .args(["--protocol", protocol, "--endpoint", &endpoint])
            .args(["--rate", "400", "--duration", "500ms", "--workers", "2"])
            .args(["--spans", "4", "--timeout", "10s", "--format", "json"])
            .output()
            .expect("run");
        let report: Value = serde_json::from_slice(&out.stdout).expect("load report");
        assert_eq!(out.status.code(), Some(0), "{protocol}: {report}");
        assert_eq!(report["protocol"], protocol);
        let sent = report["spans_sent"].as_u64().unwrap();
        assert!(sent >= 4, "{protocol}: {report}");
        assert_eq!(report["spans_accepted"], sent, "{protocol}: {report}");
        assert_eq!(report["spans_failed"], 0);
    }
    tracectl()
        .args(["--protocol", "zipkin", "--rate", "10"])
        .assert()
        .code(2);
}
