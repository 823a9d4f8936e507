use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::listen::{Batch, Listener, Observation, Received, Seen};
use crate::protocol::jaeger::Encoding;
use crate::rule::Family;
use crate::trace::span_line::SpanLine;

fn origin(listener: Listener, peer_port: u16) -> Origin {
    Origin {
        listener,
        port: listener.default_port(),
        peer: SocketAddr::from(([127, 0, 0, 1], peer_port)),
    }
}

fn line(service: &str, span: &str, parent: Option<&str>, start: u64) -> SpanLine {
    SpanLine {
        time: String::new(),
        protocol: "otlp-grpc".into(),
        port: 4317,
        service: service.into(),
        name: format!("op-{span}"),
        trace_id: "4bf92f3577b34da6a3ce929d0e0e4736".into(),
        span_id: span.into(),
        parent_span_id: parent.map(str::to_owned),
        kind: "internal".into(),
        start_unix_nano: start,
        end_unix_nano: start + 1_000,
        attributes: Default::default(),
        resource: Default::default(),
        status: "unset".into(),
    }
}

fn received(spans: Vec<SpanLine>, at_nanos: u64) -> Received {
    Received {
        origin: origin(Listener::OtlpGrpc, 50000),
        at: UNIX_EPOCH + Duration::from_nanos(at_nanos),
        batch: Batch::Lines(spans),
    }
}

const NOW: u64 = 1_800_000_000_000_000_000;

fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.id).collect()
}

#[test]
fn ids_and_names_are_unique_and_explained() {
    let ids: HashSet<_> = DIAGNOSES.iter().map(|d| d.id).collect();
    let names: HashSet<_> = DIAGNOSES.iter().map(|d| d.name).collect();
    assert_eq!(ids.len(), DIAGNOSES.len());
    assert_eq!(names.len(), DIAGNOSES.len());
    for d in DIAGNOSES {
        assert!(d.id.starts_with("LSN") && d.id.len() == 6, "{}", d.id);
        let e = &d.explanation;
        assert!(
            !e.checks.is_empty() && !e.why.is_empty() && !e.fix.is_empty() && !e.example.is_empty()
        );
        assert_eq!(crate::registry::find_rule(d.name).unwrap().id, d.id);
    }
    assert_eq!(
        crate::registry::find_rule("lsn001").unwrap().name,
        "thrift-binary-on-compact-port"
    );
}

#[test]
fn a_cause_is_reported_once_per_sender() {
    let mut d = Diagnoser::new(Duration::from_secs(30));
    let seen = |peer| Observation {
        origin: origin(Listener::JaegerCompact, peer),
        seen: Seen::ThriftEncoding {
            got: Encoding::Binary,
            service: "node-app".into(),
            strict: false,
        },
    };
    let first = d.observation(&seen(40000)).unwrap();
    assert_eq!(first.id, "LSN001");
    assert_eq!(first.family, Family::Listen);
    assert!(first.message.contains("6832"), "{}", first.message);
    assert_eq!(first.evidence.get("received").unwrap(), "binary");
    assert!(d.observation(&seen(40000)).is_none());
    let other = Observation {
        origin: origin(Listener::JaegerBinary, 40001),
        seen: Seen::ThriftEncoding {
            got: Encoding::Compact,
            service: "py-app".into(),
            strict: false,
        },
    };
    assert_eq!(d.observation(&other).unwrap().id, "LSN002");
}

#[test]
fn wrong_paths_name_the_right_port() {
    let mut d = Diagnoser::new(Duration::from_secs(30));
    let f = d
        .observation(&Observation {
            origin: origin(Listener::JaegerHttp, 1),
            seen: Seen::WrongPath {
                method: "POST".into(),
                path: "/v1/traces".into(),
                content_type: "application/x-protobuf".into(),
            },
        })
        .unwrap();
    assert_eq!(f.id, "LSN005");
    assert!(f.message.contains("4318"), "{}", f.message);
    assert!(f.fix.contains("/api/traces"), "{}", f.fix);
}

#[test]
fn unnamed_services_zero_ids_and_skew_are_found() {
    let mut d = Diagnoser::new(Duration::from_secs(30));
    let mut zero = line("unknown_service:python", "0000000000000000", None, NOW);
    zero.trace_id = "0".repeat(32);
    let found = d.spans(&received(vec![zero], NOW));
    assert_eq!(ids(&found), ["LSN007", "LSN011"]);
    let ahead = line("clocky", "00f067aa0ba902b7", None, NOW + 300_000_000_000);
    let found = d.spans(&received(vec![ahead], NOW));
    assert_eq!(ids(&found), ["LSN008"]);
    assert_eq!(found[0].evidence.get("skew_ms").unwrap(), 300_000);
    let fine = line("ok", "00f067aa0ba902b8", None, NOW - 1_000_000_000);
    assert!(d.spans(&received(vec![fine], NOW)).is_empty());
}

#[test]
fn a_child_before_its_parent_is_found_in_either_arrival_order() {
    for child_first in [true, false] {
        let mut d = Diagnoser::new(Duration::from_secs(3600));
        let parent = line("api", "00000000000000aa", None, NOW);
        let child = line(
            "db",
            "00000000000000bb",
            Some("00000000000000aa"),
            NOW - 5_000,
        );
        let (a, b) = if child_first {
            (child, parent)
        } else {
            (parent, child)
        };
        let mut found = d.spans(&received(vec![a], NOW));
        found.extend(d.spans(&received(vec![b], NOW)));
        assert_eq!(ids(&found), ["LSN009"]);
        assert_eq!(found[0].evidence.get("early_us").unwrap(), 5);
        assert!(d.orphans(true).is_empty());
    }
}

#[test]
fn parents_that_never_arrive_are_reported_when_listen_stops() {
    let mut d = Diagnoser::new(Duration::from_secs(3600));
    let orphan = line("web", "00000000000000cc", Some("00000000000000dd"), NOW);
    assert!(d.spans(&received(vec![orphan], NOW)).is_empty());
    assert!(d.orphans(false).is_empty(), "still within the grace period");
    let found = d.orphans(true);
    assert_eq!(ids(&found), ["LSN010"]);
    assert_eq!(
        found[0].evidence.get("parent_span_id").unwrap(),
        "00000000000000dd"
    );
}

#[test]
fn listen_says_when_it_dropped_spans_or_refused_connections() {
    let mut d = Diagnoser::new(Duration::from_secs(30));
    assert!(d.dropped(&Counts::default()).is_empty());
    let counts = Counts {
        dropped_spans: 7,
        refused_connections: 2,
        ..Counts::default()
    };
    assert_eq!(ids(&d.dropped(&counts)), ["LSN016", "LSN014"]);
    assert!(d.dropped(&counts).is_empty());
}

#[test]
fn fixes_name_the_ports_listen_really_bound() {
    let ports = [
        (Listener::JaegerCompact, 16831),
        (Listener::JaegerBinary, 16832),
        (Listener::OtlpGrpc, 14317),
        (Listener::OtlpHttp, 14318),
    ];
    let mut d = Diagnoser::new(Duration::from_secs(30)).with_ports(ports.into_iter().collect());
    let binary = d
        .observation(&Observation {
            origin: origin(Listener::JaegerCompact, 40000),
            seen: Seen::ThriftEncoding {
                got: Encoding::Binary,
                service: "node-app".into(),
                strict: true,
            },
        })
        .unwrap();
    assert!(
        binary.fix.contains("JAEGER_AGENT_PORT=16832"),
        "{}",
        binary.fix
    );
    assert!(
        binary.message.contains("dropped them too"),
        "{}",
        binary.message
    );
    let http1 = d
        .observation(&Observation {
            origin: origin(Listener::OtlpGrpc, 40000),
            seen: Seen::Http1OnGrpc {
                request_line: "POST /v1/traces HTTP/1.1".into(),
            },
        })
        .unwrap();
    assert!(http1.fix.contains("http://HOST:14318"), "{}", http1.fix);
    assert!(!http1.fix.contains("4318 ") && !http1.fix.contains(":4318"));
    let grpc = d
        .observation(&Observation {
            origin: origin(Listener::OtlpHttp, 40000),
            seen: Seen::GrpcOnHttp {
                path: "/x".into(),
                served: false,
            },
        })
        .unwrap();
    assert!(grpc.fix.contains("http://HOST:14317"), "{}", grpc.fix);
}

#[test]
fn sender_chosen_causes_are_capped_and_counted() {
    let mut d = Diagnoser::new(Duration::from_secs(30));
    let path = |i: usize| Observation {
        origin: origin(Listener::OtlpHttp, 40000),
        seen: Seen::WrongPath {
            method: "POST".into(),
            path: format!("/p{i}"),
            content_type: String::new(),
        },
    };
    let reported = (0..MAX_REPORTED + 50)
        .filter(|i| d.observation(&path(*i)).is_some())
        .count();
    assert_eq!(reported, MAX_REPORTED);
    assert_eq!(d.unreported(), 50);
    let counts = Counts {
        refused_memory: 3,
        ..Counts::default()
    };
    assert_eq!(
        ids(&d.dropped(&counts)),
        ["LSN017"],
        "listen's own findings are never capped"
    );
}
