//! `tracectl check-propagation` against real instrumented services (tests/peers/
//! propagation_service.py: OpenTelemetry WSGI + requests instrumentation, OTLP/HTTP export),
//! proxies that strip or rewrite traceparent, and hostile services written here.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::thread;
use std::time::Duration;

use serde_json::Value;

use crate::support::peers::{free_port, python, script};
use crate::support::{stderr_of, stdout_of, tracectl};

/// Runs check-propagation with `--exec` on the Python service with `service_args`, extra
/// tracectl flags and extra environment; returns the exit code and the JSON report.
fn exec_python(
    service_args: &[&str],
    flags: &[&str],
    env: &[(&str, &str)],
) -> Option<(i32, Value, String)> {
    let python = python()?;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/checkout");
    let ready = format!("http://127.0.0.1:{port}/ready");
    let mut cmd = tracectl();
    cmd.args([
        "check-propagation",
        "--format",
        "json",
        "--otlp-http",
        "0",
        "--downstream",
        "0",
    ])
    .args(["--ready", &ready, "--timeout", "20s"])
    .args(flags)
    .arg(&url)
    .args(["--exec", "--"])
    .arg(&python)
    .arg(script("propagation_service.py"))
    .args(["--port", &port.to_string()])
    .args(service_args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run tracectl");
    let code = out.status.code().unwrap_or(-1);
    let text = stdout_of(&out);
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {text}\nstderr: {}", stderr_of(&out)));
    Some((code, json, stderr_of(&out)))
}

fn ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn an_instrumented_python_service_passes() {
    let Some((code, report, err)) = exec_python(&[], &[], &[]) else {
        return;
    };
    assert_eq!(ids(&report), Vec::<String>::new(), "{report:#}\n{err}");
    assert_eq!(code, 0);
    let hop = &report["hops"][0];
    assert_eq!(hop["server_span"]["trace_id"], hop["trace_id"]);
    assert_eq!(hop["server_span"]["parent_id"], hop["parent_id"]);
    let call = &report["downstream"][0];
    assert_eq!(call["trace_id"], hop["trace_id"]);
    assert_eq!(call["format"], "tracecontext");
    assert_eq!(call["headers"]["baggage"], "tracectl.check=1");
    assert!(report["request"]["injected"]["tracecontext"]["traceparent"].is_string());
    eprintln!(
        "python --exec: decided in {} ms",
        report["summary"]["elapsed_ms"]
    );
}

#[test]
fn an_uninstrumented_http_client_is_not_injected() {
    let Some((code, report, _)) = exec_python(&["--no-client-instrumentation"], &[], &[]) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP002"], "{report:#}");
    assert_eq!(code, 1);
}

#[test]
fn an_uninstrumented_server_does_not_extract() {
    let Some((code, report, _)) = exec_python(&["--no-server-instrumentation"], &[], &[]) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP001"], "{report:#}");
    assert_eq!(code, 1);
}

#[test]
fn a_thread_pool_without_context_loses_it() {
    let Some((code, report, _)) = exec_python(&["--thread-pool"], &[], &[]) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP003"], "{report:#}");
    assert_eq!(code, 1);
}

#[test]
fn a_b3multi_service_is_a_propagator_mismatch_and_passes_with_inject_b3multi() {
    let env = [("OTEL_PROPAGATORS", "b3multi")];
    let Some((code, report, _)) = exec_python(&[], &[], &env) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP004"], "{report:#}");
    assert_eq!(code, 1);
    let fix = report["findings"][0]["fix"].as_str().unwrap_or_default();
    assert!(
        fix.contains("--inject b3multi") && fix.contains("OTEL_PROPAGATORS"),
        "{fix}"
    );
    let (code, report, _) = exec_python(&[], &["--inject", "b3multi"], &env).expect("peer");
    assert_eq!(ids(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, 0);
}

/// The Python service started by the test (not by --exec), exporting to ports picked here.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_python(otlp_port: u16, downstream_port: u16) -> Option<(Service, u16)> {
    let python = python()?;
    let mut child = std::process::Command::new(python)
        .arg(script("propagation_service.py"))
        .env(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            format!("http://127.0.0.1:{otlp_port}"),
        )
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .env(
            "DOWNSTREAM_URL",
            format!("http://127.0.0.1:{downstream_port}/"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the service");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the service prints its port");
    let port = line
        .trim()
        .strip_prefix("listening on ")
        .and_then(|p| p.parse().ok())
        .expect("port");
    Some((Service(child), port))
}

/// A proxy on a port of its own that forwards each request to `to` after `edit` changed its
/// head, and pipes the answer back.
fn proxy(to: u16, edit: fn(&str) -> String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            thread::spawn(move || {
                let mut client = client;
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && client.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                let head = edit(&String::from_utf8_lossy(&head))
                    .replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n");
                let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", to)) else {
                    return;
                };
                let _ = upstream.write_all(head.as_bytes());
                let mut answer = Vec::new();
                let _ = upstream.read_to_end(&mut answer);
                let _ = client.write_all(&answer);
            });
        }
    });
    port
}

fn strip_traceparent(head: &str) -> String {
    head.split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("traceparent:"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn rewrite_parent(head: &str) -> String {
    head.split("\r\n")
        .map(
            |l| match l.to_ascii_lowercase().strip_prefix("traceparent: ") {
                Some(v) if v.len() == 55 => {
                    format!("traceparent: {}-1111111111111111-{}", &v[..35], &v[53..])
                }
                _ => l.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn through_proxy(edit: fn(&str) -> String) -> Option<(i32, Value)> {
    let (otlp, downstream) = (free_port(), free_port());
    let (_service, port) = start_python(otlp, downstream)?;
    let proxied = proxy(port, edit);
    let out = tracectl()
        .args(["check-propagation", "--format", "json", "--timeout", "20s"])
        .args([
            "--otlp-http",
            &otlp.to_string(),
            "--downstream",
            &downstream.to_string(),
        ])
        .arg(format!("http://127.0.0.1:{proxied}/checkout"))
        .output()
        .expect("run tracectl");
    Some((
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).expect("JSON"),
    ))
}

#[test]
fn a_proxy_that_strips_traceparent_is_not_extracted() {
    let Some((code, report)) = through_proxy(strip_traceparent) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP001"], "{report:#}");
    assert_eq!(code, 1);
}

#[test]
fn a_proxy_that_rewrites_the_parent_id_is_named() {
    let Some((code, report)) = through_proxy(rewrite_parent) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP005"], "{report:#}");
    assert_eq!(
        code, 0,
        "PRP005 is a warning, below the default --fail-on error"
    );
    assert_eq!(
        report["findings"][0]["evidence"]["server_span_parent_id"],
        "1111111111111111"
    );
}

/// A service written here: for every request it calls `downstream` `calls` times, the first
/// call with an extra header of `big` bytes, then answers 200.
fn fake_service(downstream: u16, calls: usize, big: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let mut client = client;
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && client.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            if big > 0
                && let Ok(mut s) = TcpStream::connect(("127.0.0.1", downstream))
            {
                let header = "a".repeat(big);
                let _ = write!(s, "GET / HTTP/1.1\r\nhost: x\r\nx-big: {header}\r\n\r\n");
                let mut sink = Vec::new();
                let _ = s.read_to_end(&mut sink);
            }
            if let Ok(s) = TcpStream::connect(("127.0.0.1", downstream)) {
                let mut reader = BufReader::new(s.try_clone().expect("clone"));
                let mut s = s;
                for _ in 0..calls {
                    if s.write_all(b"GET /x HTTP/1.1\r\nhost: x\r\n\r\n").is_err() {
                        break;
                    }
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = [0u8; 3];
                    let _ = reader.read_exact(&mut body);
                }
            }
            let _ = client
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    port
}

#[test]
fn a_megabyte_header_downstream_is_refused_and_counted() {
    let downstream = free_port();
    let port = fake_service(downstream, 1, 1 << 20);
    let out = tracectl()
        .args([
            "check-propagation",
            "--format",
            "json",
            "--expect-downstream",
            "2",
        ])
        .args(["--downstream", &downstream.to_string()])
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["downstream_counts"]["oversize"], 1, "{report:#}");
    assert_eq!(
        ids(&report),
        ["PRP002"],
        "the call without context: {report:#}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn ten_thousand_downstream_calls_are_counted_with_bounded_memory() {
    let downstream = free_port();
    let port = fake_service(downstream, 10_000, 0);
    let out = tracectl()
        .args(["check-propagation", "--format", "json", "--timeout", "30s"])
        .args([
            "--downstream",
            &downstream.to_string(),
            "--expect-downstream",
            "10000",
        ])
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let counts = &report["downstream_counts"];
    assert_eq!(counts["requests"], 10_000, "{report:#}");
    assert_eq!(counts["kept"], 1000);
    assert_eq!(report["downstream"].as_array().map(Vec::len), Some(1000));
    assert!(
        report["unchecked"]
            .to_string()
            .contains("kept the headers of 1000 of 10000")
    );
}

#[test]
fn a_service_that_never_answers_exits_2_and_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let held = thread::spawn(move || {
        listener.accept().map(|(s, _)| {
            thread::sleep(Duration::from_secs(3));
            drop(s);
        })
    });
    let out = tracectl()
        .args(["check-propagation", "--timeout", "1s", "--downstream", "0"])
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("the service never answered"),
        "{}",
        stderr_of(&out)
    );
    let _ = held.join();
}

#[test]
fn verdicts_are_explained_and_bad_flags_are_usage_errors() {
    let out = tracectl()
        .args(["explain", "PRP001"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(stdout_of(&out).starts_with("# PRP001 not-extracted"));
    let out = tracectl()
        .args(["explain", "baggage-dropped", "--format", "json"])
        .output()
        .expect("run");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["id"], "PRP008");
    let out = tracectl()
        .args([
            "check-propagation",
            "--trace-id",
            "xyz",
            "http://127.0.0.1:1/",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("32 hex digits"));
}

/// Runs check-propagation with `--exec` on the Node service with `service_args`.
fn exec_node(service_args: &[&str]) -> Option<(i32, Value)> {
    exec_node_on("--otlp-http", service_args)
}

/// The same with the spans received on `receiver` (`--otlp-http` or `--otlp-grpc`).
fn exec_node_on(receiver: &str, service_args: &[&str]) -> Option<(i32, Value)> {
    let modules = crate::support::peers::node_modules()?;
    let port = free_port();
    let out = tracectl()
        .args([
            "check-propagation",
            "--format",
            "json",
            receiver,
            "0",
            "--downstream",
            "0",
        ])
        .args([
            "--ready",
            &format!("http://127.0.0.1:{port}/ready"),
            "--timeout",
            "20s",
        ])
        .arg(format!("http://127.0.0.1:{port}/orders"))
        .args(["--exec", "--", "node"])
        .arg(script("propagation_service.js"))
        .args(["--port", &port.to_string()])
        .args(service_args)
        .env("NODE_PATH", modules)
        .output()
        .expect("run tracectl");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr_of(&out)));
    Some((out.status.code().unwrap_or(-1), report))
}

#[test]
fn a_node_service_calling_downstream_with_http_get_passes() {
    let Some((code, report)) = exec_node(&[]) else {
        return;
    };
    assert_eq!(ids(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(
        report["downstream"][0]["trace_id"],
        report["hops"][0]["trace_id"]
    );
}

#[test]
fn exec_points_a_node_service_at_the_otlp_grpc_receiver() {
    let Some((code, report)) = exec_node_on("--otlp-grpc", &[]) else {
        return;
    };
    assert_eq!(ids(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, 0);
    assert!(report["spans_seen"].as_u64().unwrap_or_default() >= 2);
}

#[test]
fn a_node_service_calling_downstream_with_global_fetch_is_not_injected() {
    let Some((code, report)) = exec_node(&["--fetch"]) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP002"], "{report:#}");
    assert_eq!(code, 1);
    assert_eq!(report["downstream"][0]["headers"]["user-agent"], "node");
}

/// The Python service started by --exec exports to the fake Jaeger; the spans are read back with
/// --query-url (no span receiver of our own).
fn via_query_url(service_args: &[&str]) -> Option<(i32, Value)> {
    let python = python()?;
    let backend =
        crate::support::fake_jaeger::FakeJaeger::start(crate::support::fake_jaeger::Api::V3);
    let port = free_port();
    let out = tracectl()
        .args([
            "check-propagation",
            "--format",
            "json",
            "--downstream",
            "0",
            "--timeout",
            "20s",
        ])
        .args(["--query-url", &backend.url()])
        .args(["--ready", &format!("http://127.0.0.1:{port}/ready")])
        .arg(format!("http://127.0.0.1:{port}/checkout"))
        .args(["--exec", "--"])
        .arg(python)
        .arg(script("propagation_service.py"))
        .args(["--port", &port.to_string()])
        .args(service_args)
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", backend.url())
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .output()
        .expect("run tracectl");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr_of(&out)));
    Some((out.status.code().unwrap_or(-1), report))
}

#[test]
fn query_url_reads_the_spans_back_from_jaeger() {
    let Some((code, report)) = via_query_url(&[]) else {
        return;
    };
    assert_eq!(ids(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(
        report["hops"][0]["server_span"]["parent_id"],
        report["hops"][0]["parent_id"]
    );
    let Some((code, report)) = via_query_url(&["--thread-pool"]) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP003"], "{report:#}");
    assert_eq!(code, 1);
}

#[test]
fn a_service_without_the_baggage_propagator_drops_baggage() {
    let env = [("OTEL_PROPAGATORS", "tracecontext")];
    let Some((code, report, _)) = exec_python(&[], &[], &env) else {
        return;
    };
    assert_eq!(ids(&report), ["PRP008"], "{report:#}");
    assert_eq!(code, 0, "a warning is below the default --fail-on");
    let (code, _, _) = exec_python(&[], &["--fail-on", "warning"], &env).expect("peer");
    assert_eq!(code, 1);
}

#[test]
fn an_unsampled_request_passes_unless_the_sampler_ignores_the_parent() {
    let Some((code, report, _)) = exec_python(&[], &["--sampled", "false"], &[]) else {
        return;
    };
    assert_eq!(ids(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(report["downstream"][0]["sampled"], false);
    let env = [("OTEL_TRACES_SAMPLER", "always_on")];
    let (_, report, _) = exec_python(&[], &["--sampled", "false"], &env).expect("peer");
    assert_eq!(ids(&report), ["PRP010"], "{report:#}");
}

#[test]
fn a_service_exporting_elsewhere_is_no_spans_exported() {
    let (otlp, downstream, elsewhere) = (free_port(), free_port(), free_port());
    let Some((_service, port)) = start_python(elsewhere, downstream) else {
        return;
    };
    let out = tracectl()
        .args(["check-propagation", "--format", "json", "--timeout", "3s"])
        .args([
            "--otlp-http",
            &otlp.to_string(),
            "--downstream",
            &downstream.to_string(),
        ])
        .arg(format!("http://127.0.0.1:{port}/checkout"))
        .output()
        .expect("run tracectl");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(ids(&report), ["PRP009"], "{report:#}");
    assert!(
        report["findings"][0]["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("tracectl doctor")
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn exec_stops_the_whole_process_group() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let pid_file = dir.path().join("sleeper.pid");
    let port = free_port();
    let shell = format!(
        "sleep 60 & echo $! > {}; exec {} {} --port {port}",
        pid_file.display(),
        python.display(),
        script("propagation_service.py").display()
    );
    let out = tracectl()
        .args([
            "check-propagation",
            "--otlp-http",
            "0",
            "--downstream",
            "0",
            "--timeout",
            "20s",
        ])
        .args(["--ready", &format!("http://127.0.0.1:{port}/ready")])
        .arg(format!("http://127.0.0.1:{port}/"))
        .args(["--exec", "--", "sh", "-c", &shell])
        .output()
        .expect("run tracectl");
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    let pid = std::fs::read_to_string(&pid_file).expect("the sleeper's pid");
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    let state = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .next();
    assert!(
        matches!(state, None | Some("Z")),
        "the sleeper still runs: {stat}"
    );
}

#[test]
fn a_receiver_that_cannot_start_and_flag_mistakes_exit_2() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = tracectl()
        .args([
            "check-propagation",
            "--otlp-http",
            &port,
            "http://127.0.0.1:1/",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("otlp-http receiver could not start")
            && err.contains("--otlp-http another port"),
        "{err}"
    );
    for (args, says) in [
        (
            &["--ready", "http://127.0.0.1:1/"][..],
            "--ready goes with --exec",
        ),
        (&["-H", "no colon"][..], "is not `Name: value`"),
        (&["--baggage", "novalue"][..], "is not k=v"),
        (&["--downstream", "example.com:1"][..], "--downstream"),
    ] {
        let out = tracectl()
            .arg("check-propagation")
            .args(args)
            .arg("http://127.0.0.1:1/")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr_of(&out).contains(says),
            "{args:?}: {}",
            stderr_of(&out)
        );
    }
    let out = tracectl()
        .args(["check-propagation", "ftp://x/"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("is not an http(s) URL"));
}

#[test]
fn several_requests_with_several_downstream_calls_each_pass() {
    let flags = ["--requests", "3", "--expect-downstream", "2"];
    let Some((code, report, _)) = exec_python(&["--calls", "2"], &flags, &[]) else {
        return;
    };
    assert_eq!(ids(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(code, 0);
    for hop in report["hops"].as_array().expect("hops") {
        let calls = hop["downstream"].as_array().expect("calls");
        assert_eq!(calls.len(), 2, "{report:#}");
        for c in calls {
            let i = c.as_u64().expect("index") as usize;
            assert_eq!(report["downstream"][i]["trace_id"], hop["trace_id"]);
        }
    }
}

#[test]
fn an_exec_service_that_never_answers_exits_2() {
    let Some(python) = python() else { return };
    let port = free_port();
    let out = tracectl()
        .args([
            "check-propagation",
            "--otlp-http",
            "0",
            "--downstream",
            "0",
            "--timeout",
            "2s",
        ])
        .arg(format!("http://127.0.0.1:{port}/"))
        .args(["--exec", "--"])
        .arg(python)
        .arg(script("propagation_service.py"))
        .args(["--port", &port.to_string(), "--never-answer"])
        .output()
        .expect("run tracectl");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("the service never answered"),
        "{}",
        stderr_of(&out)
    );
}
