//! Apps that use a legacy Jaeger client (issue 11 item 1): doctor judges what the client reads
//! (JAEGER_SERVICE_NAME, JAEGER_ENDPOINT) against a Jaeger thrift-HTTP collector written here
//! (no Jaeger binary is installable), and the real npm jaeger-client, given the same variables,
//! delivers its spans to that collector.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{peers, stdout_of, tracectl};

/// A Jaeger collector's thrift-over-HTTP handler: `POST /api/traces` answers 202 to a body and
/// 400 `Unable to process request body: EOF` to an empty one; other paths 404, as Jaeger does.
/// Remembers the Content-Type of every non-empty batch it took.
struct ThriftCollector {
    port: u16,
    batches: Arc<Mutex<Vec<String>>>,
}

impl ThriftCollector {
    fn start() -> ThriftCollector {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("addr").port();
        let batches: Arc<Mutex<Vec<String>>> = Arc::default();
        let seen = batches.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || serve(stream, &seen));
            }
        });
        ThriftCollector { port, batches }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/api/traces", self.port)
    }

    fn wait_for_batch(&self, within: Duration) -> Option<String> {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Some(b) = self.batches.lock().unwrap().first() {
                return Some(b.clone());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        None
    }
}

fn serve(stream: std::net::TcpStream, seen: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(3)));
    let mut reader = BufReader::new(stream);
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request).unwrap_or(0) == 0 {
            return;
        }
        let (mut length, mut content_type, mut chunked) = (0usize, String::new(), false);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "content-type" => content_type = value.trim().to_string(),
                "transfer-encoding" => chunked = value.trim().eq_ignore_ascii_case("chunked"),
                _ => {}
            }
        }
        let body = match if chunked {
            read_chunked(&mut reader)
        } else {
            let mut body = vec![0; length.min(1 << 20)];
            reader.read_exact(&mut body).map(|_| body)
        } {
            Ok(body) => body,
            Err(_) => return,
        };
        let (status, text) = if !request.starts_with("POST /api/traces ") {
            ("404 Not Found", "404 page not found\n")
        } else if body.is_empty() {
            ("400 Bad Request", "Unable to process request body: EOF\n")
        } else {
            seen.lock().unwrap().push(content_type);
            ("202 Accepted", "")
        };
        let reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        if reader.get_mut().write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

/// A chunked body (Node's HTTP sender streams its batch), at most 1 MiB.
fn read_chunked(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let size = usize::from_str_radix(size.trim(), 16).map_err(std::io::Error::other)?;
        let mut chunk = vec![0; size.min(1 << 20) + 2];
        reader.read_exact(&mut chunk)?;
        if size == 0 || body.len() > 1 << 20 {
            return Ok(body);
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

fn doctor(vars: &[(&str, &str)], extra: &[&str]) -> (i32, Value, String) {
    let mut cmd = tracectl();
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let json = cmd
        .args(["doctor", "--format", "json", "--timeout", "5s"])
        .args(extra)
        .output()
        .expect("run tracectl");
    let mut human = tracectl();
    for (k, v) in vars {
        human.env(k, v);
    }
    let text = human
        .args(["doctor", "--timeout", "5s"])
        .args(extra)
        .output()
        .expect("run tracectl");
    let report: Value = serde_json::from_slice(&json.stdout).expect("doctor's JSON report");
    (json.status.code().unwrap_or(-1), report, stdout_of(&text))
}

/// The ids of the checks with findings, with the findings' messages.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["findings"].as_array().cloned().unwrap_or_default())
        .map(|f| {
            (
                f["id"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_working_jaeger_client_app_passes_and_the_report_says_how_it_judged() {
    let collector = ThriftCollector::start();
    let endpoint = collector.endpoint();
    let vars = [
        ("JAEGER_SERVICE_NAME", "pyapp"),
        ("JAEGER_ENDPOINT", endpoint.as_str()),
        ("JAEGER_SAMPLER_TYPE", "const"),
        ("JAEGER_SAMPLER_PARAM", "1"),
    ];
    let (code, report, human) = doctor(&vars, &[]);
    let found = findings(&report);
    assert_eq!(code, 0, "{found:?}\n{human}");
    for id in ["SVC001", "NET001", "JGR001"] {
        assert!(!found.iter().any(|(f, _)| f == id), "{id}: {found:?}");
    }
    assert!(
        !human.contains("4318"),
        "an OTLP default the app never uses:\n{human}"
    );
    assert!(human.contains("judged as a Jaeger client"), "{human}");
    assert!(human.contains("--sdk spec"), "{human}");
    assert!(human.contains("Jaeger thrift HTTP collector"), "{human}");
    assert_eq!(report["sdk"], "jaeger", "{report}");

    // The real Node jaeger-client, configured by the same variables, sends there.
    let Some(modules) = peers::node_modules() else {
        return;
    };
    let script = "const {initTracerFromEnv} = require(process.argv[1]);\
        const t = initTracerFromEnv({}, {logger: {info() {}, error(e) { console.error(e); }}});\
        t.startSpan('checkout').finish();\
        t.close(() => process.exit(0));";
    let mut node = std::process::Command::new("node");
    node.arg("-e")
        .arg(script)
        .arg(modules.join("jaeger-client"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (k, v) in vars {
        node.env(k, v);
    }
    let out = node.output().expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let content_type = collector
        .wait_for_batch(Duration::from_secs(5))
        .expect("the jaeger-client's batch reached the collector");
    assert_eq!(content_type, "application/x-thrift");
}

#[test]
fn the_same_app_judged_as_an_opentelemetry_sdk_misses_its_service_name() {
    let collector = ThriftCollector::start();
    let endpoint = collector.endpoint();
    let vars = [
        ("JAEGER_SERVICE_NAME", "pyapp"),
        ("JAEGER_ENDPOINT", endpoint.as_str()),
    ];
    let (code, report, _) = doctor(&vars, &["--sdk", "spec", "--offline"]);
    assert_eq!(code, 1);
    assert!(findings(&report).iter().any(|(id, _)| id == "SVC001"));
    let (code, report, _) = doctor(&vars, &["--sdk", "jaeger-go", "--offline"]);
    assert_eq!(code, 0, "{:?}", findings(&report));
    let (code, report, _) = doctor(&[("JAEGER_ENDPOINT", endpoint.as_str())], &["--offline"]);
    assert_eq!(code, 1);
    let found = findings(&report);
    let svc = found.iter().find(|(id, _)| id == "SVC001").expect("SVC001");
    assert!(svc.1.contains("JAEGER_SERVICE_NAME is unset"), "{svc:?}");
}

#[test]
fn a_closed_agent_next_to_a_probed_collector_names_that_collector() {
    let collector = ThriftCollector::start();
    let gone = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let closed = gone.local_addr().unwrap().port().to_string();
    drop(gone);
    let vars = [
        ("JAEGER_SERVICE_NAME", "shop"),
        ("JAEGER_AGENT_HOST", "127.0.0.1"),
        ("JAEGER_AGENT_PORT", closed.as_str()),
    ];
    let endpoint = format!("http://127.0.0.1:{}", collector.port);
    let (code, report, human) = doctor(&vars, &["--endpoint", &endpoint]);
    assert_eq!(code, 1, "{human}");
    let checks = report["checks"].as_array().unwrap();
    let fix_of = |id: &str| {
        checks
            .iter()
            .find(|c| c["id"] == id)
            .and_then(|c| c["findings"][0]["fix"].as_str())
            .map(str::to_string)
    };
    let want = format!("JAEGER_ENDPOINT={}/api/traces", endpoint);
    let agt001 = fix_of("AGT001").expect("AGT001 reports the closed agent port");
    assert!(agt001.contains(&want), "{agt001}");
    assert!(
        !agt001.contains("14268"),
        "names a port nothing listens on: {agt001}"
    );
    let agt003 = fix_of("AGT003").expect("AGT003 sees the collector-only setup");
    assert!(agt003.contains(&want), "{agt003}");
    let row = human
        .lines()
        .find(|l| l.contains(&format!("127.0.0.1:{}/tcp", collector.port)))
        .expect("the collector's row in the endpoints table");
    assert!(
        row.trim_end().ends_with("Jaeger thrift HTTP collector"),
        "{row}"
    );
    assert!(!row.contains("OTLP"), "{row}");
}

/// The jaeger-python row of docs/sdk-facts.md against the installed PyPI jaeger-client: it reads
/// JAEGER_AGENT_HOST/PORT, never JAEGER_ENDPOINT nor JAEGER_SERVICE_NAME (the name is a Config
/// argument); doctor --sdk jaeger-python says the endpoint is ignored.
#[test]
fn python_jaeger_client_reads_only_the_agent_variables() {
    let Some(python) = peers::python() else {
        return;
    };
    let script = "import os, pathlib, jaeger_client\n\
from jaeger_client import Config\n\
c = Config(config={}, service_name='x')\n\
src = ''.join(p.read_text() for p in pathlib.Path(jaeger_client.__file__).parent.rglob('*.py'))\n\
print(c.local_agent_reporting_host, c.local_agent_reporting_port, 'JAEGER_ENDPOINT' in src, 'JAEGER_SERVICE_NAME' in src)\n";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .env("JAEGER_ENDPOINT", "http://c:14268/api/traces")
        .env("JAEGER_AGENT_HOST", "agent")
        .env("JAEGER_AGENT_PORT", "7000")
        .output()
        .expect("run python");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.trim(),
        "agent 7000 False False",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let facts = tracectl::settings::Sdk::JaegerPython.facts();
    assert_eq!(facts.service_name_var, None);
    assert!(facts.endpoint_forms.contains("JAEGER_ENDPOINT is not read"));

    let (code, report, _) = doctor(
        &[
            ("JAEGER_ENDPOINT", "http://c:14268/api/traces"),
            ("JAEGER_AGENT_HOST", "agent"),
        ],
        &["--offline", "--sdk", "jaeger-python"],
    );
    assert_eq!(code, 1);
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(id, m)| id == "JGR003" && m.contains("does not read it")),
        "{found:?}"
    );
}
