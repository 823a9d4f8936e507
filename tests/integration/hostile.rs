//! `doctor` against hostile peers written here: each must end within `--timeout` + 10 % (plus a
//! fixed allowance for starting the process) with a finding that names what happened.

use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

use crate::support::{stdout_of, tracectl};

const TIMEOUT_MS: u64 = 500;

/// Runs doctor with `vars` and returns its exit code and output; asserts the time bound.
fn doctor(vars: &[(&str, &str)], extra: &[&str]) -> (Option<i32>, String) {
    let started = Instant::now();
    let out = tracectl()
        .envs(vars.iter().copied())
        .args(["doctor", "--timeout", &format!("{TIMEOUT_MS}ms")])
        .args(extra)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let bound = Duration::from_millis(TIMEOUT_MS * 11 / 10) + Duration::from_millis(400);
    assert!(
        elapsed <= bound,
        "doctor took {elapsed:?} with --timeout {TIMEOUT_MS}ms"
    );
    (out.status.code(), stdout_of(&out))
}

fn grpc_at(addr: SocketAddr) -> [(&'static str, String); 2] {
    [
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc".into()),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{addr}")),
    ]
}

fn run_grpc(addr: SocketAddr) -> String {
    let vars = grpc_at(addr);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (code, out) = doctor(&vars, &[]);
    assert_eq!(code, Some(1), "{out}");
    out
}

/// Accepts connections and hands each to `serve`.
async fn peer<F, Fut>(serve: F) -> SocketAddr
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            tokio::spawn(serve(s));
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_and_never_answer() {
    let addr = peer(|s| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(s);
    })
    .await;
    let out = tokio::task::spawn_blocking(move || run_grpc(addr))
        .await
        .unwrap();
    assert!(out.contains("never answers"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_bytes() {
    let addr = peer(|mut s| async move {
        let _ = s
            .write_all(&[0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x13, 0x37, 0x42, 0x99])
            .await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let out = tokio::task::spawn_blocking(move || run_grpc(addr))
        .await
        .unwrap();
    assert!(out.contains("neither HTTP/1.1, HTTP/2 nor TLS"), "{out}");
    assert!(out.contains("\\xde\\xad\\xbe\\xef"), "{out}");
}

async fn endless(declared: Option<u64>) -> SocketAddr {
    peer(move |mut s| async move {
        let mut b = [0u8; 1024];
        let _ = s.read(&mut b).await;
        let head = match declared {
            Some(n) => format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {n}\r\n\r\n"
            ),
            None => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".to_string(),
        };
        let _ = s.write_all(head.as_bytes()).await;
        let chunk = vec![b'x'; 64 * 1024];
        while s.write_all(&chunk).await.is_ok() {}
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_body() {
    let addr = endless(None).await;
    let out = tokio::task::spawn_blocking(move || run_grpc(addr))
        .await
        .unwrap();
    assert!(out.contains("answers HTTP/1.1"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_gib_body() {
    let addr = endless(Some(1 << 30)).await;
    let out = tokio::task::spawn_blocking(move || run_grpc(addr))
        .await
        .unwrap();
    assert!(out.contains("answers HTTP/1.1"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_only_peer_answers_plaintext_with_an_alert() {
    // A TLS server's answer to a plaintext request: a fatal alert record, then close.
    let addr = peer(|mut s| async move {
        let mut b = [0u8; 1024];
        let _ = s.read(&mut b).await;
        let _ = s
            .write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])
            .await;
    })
    .await;
    let out = tokio::task::spawn_blocking(move || run_grpc(addr))
        .await
        .unwrap();
    assert!(out.contains("expects TLS"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_rst() {
    let addr = peer(|s| async move {
        let _ = s.set_zero_linger();
        drop(s);
    })
    .await;
    let out = tokio::task::spawn_blocking(move || run_grpc(addr))
        .await
        .unwrap();
    assert!(
        out.contains("resets them") || out.contains("closes them"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http09_style_reply() {
    let addr = peer(|mut s| async move {
        let mut b = [0u8; 1024];
        let _ = s.read(&mut b).await;
        let _ = s.write_all(b"hello from an old server\n").await;
    })
    .await;
    let out = tokio::task::spawn_blocking(move || run_grpc(addr))
        .await
        .unwrap();
    assert!(out.contains("HTTP/0.9-style"), "{out}");
}

#[test]
fn udp_port_answering_icmp_unreachable() {
    let gone = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = gone.local_addr().unwrap().port().to_string();
    drop(gone);
    let (code, out) = doctor(
        &[
            ("JAEGER_AGENT_HOST", "127.0.0.1"),
            ("JAEGER_AGENT_PORT", &port),
        ],
        &["--select", "AGT001"],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("ICMP port unreachable"), "{out}");
}

/// An SNTP server whose clock is `offset_ms` ahead of ours.
async fn sntp_server(offset_ms: i64) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    tokio::spawn(async move {
        let mut req = [0u8; 48];
        while let Ok((n, from)) = socket.recv_from(&mut req).await {
            if n < 48 {
                continue;
            }
            let now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap();
            let shifted = now.as_nanos() as i128 + i128::from(offset_ms) * 1_000_000;
            let secs = (shifted / 1_000_000_000) as u64 + 2_208_988_800;
            let frac = (((shifted % 1_000_000_000) as u64) << 32) / 1_000_000_000;
            let stamp = ((secs << 32) | frac).to_be_bytes();
            let mut reply = [0u8; 48];
            reply[0] = 0x24; // LI 0, version 4, mode 4 (server)
            reply[1] = 2; // stratum
            reply[24..32].copy_from_slice(&req[40..48]); // originate = client's transmit
            reply[16..24].copy_from_slice(&stamp);
            reply[32..40].copy_from_slice(&stamp);
            reply[40..48].copy_from_slice(&stamp);
            let _ = socket.send_to(&reply, from).await;
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sntp_server_reporting_an_offset() {
    for (offset, expect) in [(5_000, Some("error")), (300, Some("warning")), (0, None)] {
        let addr = sntp_server(offset).await;
        let (code, out) = tokio::task::spawn_blocking(move || {
            doctor(
                &[],
                &[
                    "--select",
                    "CLK001",
                    "--verbose",
                    "--ntp-server",
                    &addr.to_string(),
                ],
            )
        })
        .await
        .unwrap();
        match expect {
            Some(level) => {
                assert!(
                    out.contains(level) && out.contains("behind"),
                    "{offset} ms: {out}"
                );
                assert_eq!(code, Some(if level == "error" { 1 } else { 0 }), "{out}");
            }
            None => assert!(out.contains("✓ CLK001"), "{out}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ntp_server_named_by_the_user_that_never_answers_is_a_warning() {
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = silent.local_addr().unwrap();
    let (code, out) = tokio::task::spawn_blocking(move || {
        doctor(
            &[],
            &["--select", "CLK001", "--ntp-server", &addr.to_string()],
        )
    })
    .await
    .unwrap();
    drop(silent);
    assert_eq!(code, Some(0), "a warning does not fail the run: {out}");
    assert!(
        out.contains("! CLK001") && out.contains("gave no SNTP answer"),
        "{out}"
    );
}

fn run_http(addr: SocketAddr) -> (Option<i32>, String) {
    let endpoint = format!("http://{addr}");
    let vars = [
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
        ("OTEL_SERVICE_NAME", "checkout"),
    ];
    doctor(&vars, &["--verbose"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_200_then_header_lines_forever() {
    let addr = peer(|mut s| async move {
        let mut b = [0u8; 1024];
        let _ = s.read(&mut b).await;
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\n").await;
        while s.write_all(b"X-Filler: 0123456789abcdef\r\n").await.is_ok() {}
    })
    .await;
    let (code, out) = tokio::task::spawn_blocking(move || run_http(addr))
        .await
        .unwrap();
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("PRO002")
            && out.contains("answers `HTTP/1.1 200 OK` and then sends header lines without end"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_200_with_a_gib_body_that_is_no_otlp_reply() {
    let addr = peer(|mut s| async move {
        let mut b = [0u8; 1024];
        let _ = s.read(&mut b).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1073741824\r\n\r\n";
        let _ = s.write_all(head.as_bytes()).await;
        let chunk = vec![b'x'; 64 * 1024];
        while s.write_all(&chunk).await.is_ok() {}
    })
    .await;
    let (code, out) = tokio::task::spawn_blocking(move || run_http(addr))
        .await
        .unwrap();
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("PRO002") && out.contains("with a body of 1073741824 bytes"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_otlp_http_reply_passes_pro002() {
    let addr = peer(|mut s| async move {
        let mut b = [0u8; 4096];
        let _ = s.read(&mut b).await;
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n")
            .await;
    })
    .await;
    let (_, out) = tokio::task::spawn_blocking(move || run_http(addr))
        .await
        .unwrap();
    let pro002: Vec<&str> = out.lines().filter(|l| l.contains("PRO002")).collect();
    assert!(
        !pro002.is_empty() && pro002.iter().all(|l| l.contains('✓')),
        "{out}"
    );
}
