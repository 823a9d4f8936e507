//! `doctor` against real OTLP peers: the rotel collector and the opentelemetry-proto receiver.
//! It must recognise each port and flag the wrong protocol pointed at each.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::support::peers::{self, Rotel};
use crate::support::{stdout_of, tracectl};

fn doctor(vars: &[(&str, &str)]) -> (Option<i32>, serde_json::Value) {
    let out = tracectl()
        .envs(vars.iter().copied())
        .args([
            "doctor",
            "--format",
            "json",
            "--timeout",
            "2s",
            "--select",
            "reachability,protocol",
        ])
        .output()
        .unwrap();
    let json = serde_json::from_str(&stdout_of(&out))
        .unwrap_or_else(|e| panic!("{e}: {}", stdout_of(&out)));
    (out.status.code(), json)
}

fn finding<'a>(report: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    report["checks"]
        .as_array()?
        .iter()
        .find(|c| c["id"] == id)?["findings"]
        .get(0)
}

fn answer(report: &serde_json::Value, port: u16) -> String {
    let rows = report["endpoints"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .find(|r| {
            r["endpoint"]
                .as_str()
                .is_some_and(|e| e.ends_with(&format!(":{port}")))
        })
        .map(|r| r["answer"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

#[test]
fn rotel_ports_are_identified_and_the_right_config_passes() {
    let Some(rotel) = Rotel::start() else { return };
    let grpc = format!("http://127.0.0.1:{}", rotel.grpc_port);
    let http = format!("http://127.0.0.1:{}", rotel.http_port);

    let (code, report) = doctor(&[
        ("OTEL_SERVICE_NAME", "checkout"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &grpc),
    ]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(answer(&report, rotel.grpc_port), "OTLP/gRPC");

    let (code, report) = doctor(&[
        ("OTEL_SERVICE_NAME", "checkout"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &http),
    ]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(answer(&report, rotel.http_port), "OTLP/HTTP");
}

#[test]
fn rotel_wrong_protocol_at_each_port_is_flagged() {
    let Some(rotel) = Rotel::start() else { return };
    let grpc = format!("http://127.0.0.1:{}", rotel.grpc_port);
    let http = format!("http://127.0.0.1:{}", rotel.http_port);

    let (code, report) = doctor(&[
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &http),
    ]);
    assert_eq!(code, Some(1));
    let f = finding(&report, "PRO001").expect("PRO001 finding");
    assert!(
        f["message"].as_str().unwrap().contains("answers HTTP/1.1"),
        "{f:#}"
    );
    assert!(
        f["fix"].as_str().unwrap().contains("http/protobuf"),
        "{f:#}"
    );

    let (code, report) = doctor(&[
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &grpc),
    ]);
    assert_eq!(code, Some(1));
    let f = finding(&report, "PRO002").expect("PRO002 finding");
    assert!(
        f["message"].as_str().unwrap().contains("only HTTP/2"),
        "{f:#}"
    );
    assert!(f["fix"].as_str().unwrap().contains("=grpc"), "{f:#}");
}

/// What the real Python SDK logs when its gRPC exporter sends to `endpoint`.
fn python_grpc_export_log(python: &std::path::Path, endpoint: &str) -> String {
    let script = "import logging, sys\n\
logging.basicConfig(level=logging.WARNING, format='%(message)s')\n\
from opentelemetry.sdk.trace import TracerProvider\n\
from opentelemetry.sdk.trace.export import SimpleSpanProcessor\n\
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\n\
p = TracerProvider()\n\
p.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=sys.argv[1], insecure=True, timeout=3)))\n\
p.get_tracer('t').start_span('x').end()\n\
p.shutdown()\n";
    let out = std::process::Command::new(python)
        .args(["-c", script, endpoint])
        .output()
        .expect("run the Python SDK");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Issue 11 item 5: rotel's HTTP port speaks HTTP/2 too, so gRPC gets a 404 mapped to
/// UNIMPLEMENTED, not a framing error. PRO001 and send-test-span quote this run's evidence and
/// what the real Python SDK logs, never `http2: frame too large`.
#[test]
fn grpc_to_rotels_http_port_quotes_what_the_python_sdk_logs() {
    let Some(rotel) = Rotel::start() else { return };
    let Some(python) = peers::python() else {
        return;
    };
    let http = format!("http://127.0.0.1:{}", rotel.http_port);
    let sdk_log = python_grpc_export_log(&python, &http);
    assert!(
        sdk_log.contains("StatusCode.UNIMPLEMENTED")
            && sdk_log.contains("Received http2 header with status: 404"),
        "{sdk_log}"
    );
    let (code, report) = doctor(&[
        ("OTEL_SERVICE_NAME", "checkout"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &http),
    ]);
    assert_eq!(code, Some(1));
    let f = finding(&report, "PRO001").expect("PRO001 finding");
    let message = f["message"].as_str().unwrap();
    assert!(!message.contains("frame too large"), "{message}");
    assert!(message.contains("and HTTP/2"), "{message}");
    assert!(
        message.contains("Received http2 header with status: 404"),
        "{message}"
    );
    let evidence = f["evidence"]["otlp_export"].as_str().unwrap_or("");
    assert!(
        message.contains(evidence),
        "{message} does not quote {evidence}"
    );

    let out = tracectl()
        .args(["send-test-span", "--protocol", "grpc", "--endpoint", &http])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    let why = text
        .lines()
        .find(|l| l.trim_start().starts_with("why"))
        .unwrap_or("");
    assert!(!why.contains("frame too large"), "{text}");
    assert!(why.contains("UNIMPLEMENTED"), "{text}");
}

/// The opentelemetry-proto receiver, on ports it picks; killed when dropped.
struct Receiver {
    child: Child,
    grpc_port: u16,
    http_port: u16,
}

impl Receiver {
    fn start() -> Option<Receiver> {
        let python = peers::python()?;
        let child = std::process::Command::new(python)
            .arg(peers::script("otlp_receiver.py"))
            .args(["--max-seconds", "60", "--out", "/dev/null"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn otlp_receiver.py");
        let mut rx = Receiver {
            child,
            grpc_port: 0,
            http_port: 0,
        };
        let mut line = String::new();
        let stdout = rx.child.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("ready line");
        let ready: serde_json::Value = serde_json::from_str(&line).expect("ready line is JSON");
        let port = |k: &str| {
            ready[k]
                .as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .expect("port")
        };
        rx.grpc_port = port("grpc_port");
        rx.http_port = port("http_port");
        Some(rx)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn python_receiver_is_a_second_otlp_peer() {
    let Some(rx) = Receiver::start() else { return };
    let grpc = format!("http://127.0.0.1:{}", rx.grpc_port);
    let http = format!("http://127.0.0.1:{}", rx.http_port);
    let (code, report) = doctor(&[
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &grpc),
    ]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(answer(&report, rx.grpc_port), "OTLP/gRPC");
    let (code, report) = doctor(&[
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &http),
    ]);
    assert_eq!(code, Some(0), "{report:#}");
    let (code, report) = doctor(&[
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &http),
    ]);
    assert_eq!(code, Some(1), "{report:#}");
    assert!(finding(&report, "PRO001").is_some(), "{report:#}");
}
