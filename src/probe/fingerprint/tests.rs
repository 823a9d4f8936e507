//! The fingerprint procedure against small peers on 127.0.0.1 ports the OS picks: what it asks,
//! what it records, and what the model makes of it. Every probe runs under a short deadline.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

use super::*;
use crate::probe::Deadline;
use crate::probe::udp::UdpProbe;

/// Long enough for loopback, short enough to keep the tests quick.
const DEADLINE: Duration = Duration::from_secs(3);

fn deadline() -> Deadline {
    Deadline::now() + DEADLINE
}

/// An HTTP/1.1 peer: answers every request with the status `answer` gives for its request line
/// (e.g. `POST /v1/traces HTTP/1.1`), an empty body, and closes.
async fn http_peer(answer: fn(&str) -> &'static str) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut b = [0u8; 2048];
                let n = s.read(&mut b).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&b[..n]);
                let line = request.lines().next().unwrap_or_default();
                let reply = format!(
                    "HTTP/1.1 {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    answer(line)
                );
                let _ = s.write_all(reply.as_bytes()).await;
            });
        }
    });
    addr
}

/// A TCP peer that accepts every connection and never sends a byte.
async fn silent_peer() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    addr
}

/// A TCP port nothing listens on.
async fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

fn paths(fp: &Fingerprint) -> Vec<(&str, &str)> {
    fp.paths
        .iter()
        .map(|p| (p.method, p.path.as_str()))
        .collect()
}

#[tokio::test]
async fn an_http_server_answering_404_gets_every_well_known_path_and_no_service() {
    let addr = http_peer(|_| "404 Not Found").await;
    let fp = probe(&Target::new("127.0.0.1", addr.port()), deadline()).await;
    assert_eq!(fp.dns, Resolution::Addrs(vec![addr.ip()]));
    assert_eq!(fp.addr, Some(addr));
    assert!(matches!(fp.connects.as_slice(), [c] if matches!(c.result, Connect::Open(_))));
    assert!(!fp.tls_completed(), "{:?}", fp.tls);
    assert_eq!(fp.secure, None);
    assert_eq!(
        fp.http1().map(Response::status_line).as_deref(),
        Some("HTTP/1.1 404 Not Found")
    );
    assert!(!fp.speaks_h2(), "{:?}", fp.h2);
    assert_eq!(
        (fp.grpc_otlp.as_ref(), fp.grpc_jaeger.as_ref()),
        (None, None)
    );
    // The v3 query path answered 404, so the v1 one is tried after it.
    assert_eq!(
        paths(&fp),
        [
            ("POST", OTLP_PATH),
            ("POST", JAEGER_COLLECTOR),
            ("POST", ZIPKIN),
            ("GET", JAEGER_QUERY_V3),
            ("GET", JAEGER_QUERY_V1),
        ]
    );
    assert!(
        fp.paths
            .iter()
            .all(|p| p.reply.response().map(|r| r.status) == Some(404))
    );
    assert_eq!(fp.services(), []);
    assert_eq!(fp.summary(), "HTTP/1.1 (HTTP/1.1 404 Not Found)");
    assert!(fp.elapsed < DEADLINE, "{:?}", fp.elapsed);
}

#[tokio::test]
async fn an_otlp_http_receiver_is_recognised_on_the_configured_and_the_default_path() {
    let addr = http_peer(
        |line| match line.split(' ').take(2).collect::<Vec<_>>()[..] {
            ["POST", "/custom/traces"] => "415 Unsupported Media Type",
            ["POST", "/v1/traces"] => "400 Bad Request",
            ["GET", "/api/v3/services"] => "405 Method Not Allowed",
            _ => "404 Not Found",
        },
    )
    .await;
    let target = Target {
        otlp_path: "/custom/traces".into(),
        ..Target::new("127.0.0.1", addr.port())
    };
    let fp = probe(&target, deadline()).await;
    // Not 404 on the v3 query path: the v1 one is not tried.
    assert_eq!(
        paths(&fp),
        [
            ("POST", "/custom/traces"),
            ("POST", OTLP_PATH),
            ("POST", JAEGER_COLLECTOR),
            ("POST", ZIPKIN),
            ("GET", JAEGER_QUERY_V3),
        ]
    );
    assert_eq!(fp.path("/custom/traces").map(|r| r.status), Some(415));
    assert_eq!(fp.path(OTLP_PATH).map(|r| r.status), Some(400));
    assert_eq!(fp.services(), [Service::OtlpHttp]);
    assert_eq!(fp.summary(), "OTLP/HTTP");
}

#[tokio::test]
async fn a_refused_port_stops_after_the_connect() {
    let port = refused_port().await;
    let fp = probe(&Target::new("127.0.0.1", port), deadline()).await;
    assert!(!fp.connected());
    assert_eq!(
        fp.connects,
        [AddrConnect {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            result: Connect::Refused,
        }]
    );
    assert_eq!(
        (fp.tls.as_ref(), fp.plain.as_ref(), fp.h2.as_ref()),
        (None, None, None)
    );
    assert!(fp.paths.is_empty());
    assert_eq!(fp.summary(), "closed (connection refused)");
}

#[tokio::test]
async fn a_port_that_never_answers_returns_by_the_deadline() {
    let addr = silent_peer().await;
    let wait = Duration::from_millis(400);
    let fp = probe(
        &Target::new("127.0.0.1", addr.port()),
        Deadline::now() + wait,
    )
    .await;
    assert!(fp.connected());
    assert_eq!(fp.plain, Some(Reply::Silent));
    assert_eq!(fp.h2, Some(H2Probe::Silent));
    assert_eq!(fp.tls, Some(TlsProbe::Timeout));
    assert!(fp.paths.is_empty());
    assert_eq!(fp.summary(), "open, but never answers");
    assert!(
        fp.elapsed < wait + Duration::from_secs(1),
        "{:?}",
        fp.elapsed
    );
}

#[tokio::test]
async fn udp_ports_that_stay_silent_or_refuse_are_told_apart() {
    let quiet = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = quiet.local_addr().unwrap().port();
    let target = UdpTarget {
        host: "127.0.0.1".into(),
        port,
    };
    let fp = probe_udp(&target, deadline()).await;
    assert_eq!(fp.addr, Some(SocketAddr::from(([127, 0, 0, 1], port))));
    assert_eq!(fp.result, Some(UdpProbe::Silent));
    assert_eq!(fp.summary(), "no ICMP error: open, or filtered");

    drop(quiet);
    let fp = probe_udp(&target, deadline()).await;
    assert_eq!(fp.result, Some(UdpProbe::Closed));
    assert_eq!(fp.summary(), "closed (ICMP port unreachable)");
}

#[tokio::test]
async fn a_jaeger_thrift_collector_answering_400_everywhere_is_not_otlp() {
    let addr =
        crate::probe::testing::http("400 Bad Request", "Unable to process request body: EOF").await;
    let fp = probe(&Target::new("127.0.0.1", addr.port()), deadline()).await;
    assert_eq!(fp.services(), [Service::JaegerThriftHttp]);
    assert_eq!(fp.summary(), "Jaeger thrift HTTP collector");
}

#[test]
fn the_udp_probe_datagram_is_an_empty_emit_batch_for_either_agent_port() {
    use crate::protocol::jaeger::{Encoding, decode_emit_batch, detect};
    for (port, encoding) in [
        (6831, Encoding::Compact),
        (6832, Encoding::Binary),
        (7000, Encoding::Compact),
    ] {
        let datagram = udp::probe_datagram(port);
        assert_eq!(detect(&datagram), Some(encoding), "port {port}");
        let batch = decode_emit_batch(&datagram)
            .expect("decodes as Agent.emitBatch")
            .batch;
        assert!(batch.spans.is_empty());
        assert_eq!(batch.process.service_name, "tracectl-probe");
    }
}
