//! The verdicts on synthetic spans and downstream calls: a working hop gives none, each broken
//! piece gives its own.

use std::time::Instant;

use super::*;
use crate::check_propagation::downstream::Record;
use crate::check_propagation::inject::{self, Plan};

const TRACE: u128 = 0x4bf9_2f35_77b3_4da6_a3ce_929d_0e0e_4736;
const PARENT: u64 = 0x00f0_67aa_0ba9_02b7;
const SERVER: u64 = 0x1111;
const CLIENT: u64 = 0x2222;

fn sent(sampled: bool, tracestate: Option<&str>) -> Sent {
    inject::build(
        &Plan {
            formats: vec![Format::Tracecontext, Format::Baggage],
            trace_id: Some(TRACE),
            parent_id: Some(PARENT),
            sampled,
            tracestate: tracestate.map(str::to_owned),
            baggage: vec![],
        },
        1_700_000_000,
    )
}

fn span(trace: u128, id: u64, parent: Option<u64>, kind: &str) -> Span {
    Span {
        trace_id: trace,
        span_id: id,
        parent_id: parent,
        kind: kind.into(),
        name: "GET /".into(),
        service: "svc".into(),
        links: vec![],
        start_unix_nano: 2,
    }
}

fn call(headers: &[(&str, String)]) -> Call {
    Call::read(&Record {
        at: Instant::now(),
        method: "GET".into(),
        path: "/".into(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect(),
        truncated: false,
    })
}

fn tp(trace: u128, parent: u64, flags: &str) -> (&'static str, String) {
    (
        "traceparent",
        format!("00-{trace:032x}-{parent:016x}-{flags}"),
    )
}

fn good_spans() -> Store {
    let mut store = Store::default();
    store.push(span(TRACE, SERVER, Some(PARENT), "server"));
    store.push(span(TRACE, CLIENT, Some(SERVER), "client"));
    store
}

fn verdicts(sent: Sent, store: &Store, calls: &[Call]) -> Vec<&'static str> {
    let sent = [sent];
    let inputs = Inputs {
        sent: &sent,
        store,
        spans_on: true,
        calls,
        since_unix_nano: 1,
    };
    let hops = assign(&inputs, 1);
    judge(&inputs, &hops).0.iter().map(|f| f.id).collect()
}

#[test]
fn a_working_hop_has_no_verdict_and_is_complete() {
    let store = good_spans();
    let calls = [call(&[
        tp(TRACE, CLIENT, "01"),
        ("baggage", "tracectl.check=1".into()),
    ])];
    assert_eq!(
        verdicts(sent(true, None), &store, &calls),
        Vec::<&str>::new()
    );
    let sent = [sent(true, None)];
    let inputs = Inputs {
        sent: &sent,
        store: &store,
        spans_on: true,
        calls: &calls,
        since_unix_nano: 1,
    };
    assert!(spans_complete(&inputs, &assign(&inputs, 1)));
}

#[test]
fn each_broken_piece_gives_its_verdict() {
    let good = good_spans();
    let bag = || ("baggage", "tracectl.check=1".to_owned());
    let new_trace = 0x9999u128 << 64;
    let mut linked = Store::default();
    let mut server = span(new_trace, SERVER, None, "server");
    server.links = vec![(TRACE, PARENT)];
    linked.push(server);
    linked.push(span(new_trace, CLIENT, Some(SERVER), "client"));
    let cases: Vec<(&str, Sent, &Store, Vec<Call>)> = vec![
        (
            "PRP002",
            sent(true, None),
            &good,
            vec![call(&[("host", "x".into())])],
        ),
        (
            "PRP005",
            sent(true, None),
            &good,
            vec![call(&[tp(TRACE, 0x7777, "01"), bag()])],
        ),
        (
            "PRP006",
            sent(true, None),
            &linked,
            vec![call(&[tp(new_trace, CLIENT, "01"), bag()])],
        ),
        (
            "PRP007",
            sent(true, Some("rojo=1")),
            &good,
            vec![call(&[tp(TRACE, CLIENT, "01"), bag()])],
        ),
        (
            "PRP008",
            sent(true, None),
            &good,
            vec![call(&[tp(TRACE, CLIENT, "01")])],
        ),
        (
            "PRP010",
            sent(true, None),
            &good,
            vec![call(&[tp(TRACE, CLIENT, "00"), bag()])],
        ),
    ];
    for (id, sent, store, calls) in cases {
        assert_eq!(verdicts(sent, store, &calls), [id], "{id}");
    }
}

#[test]
fn no_spans_is_prp009_unless_the_request_was_not_sampled() {
    let empty = Store::default();
    let calls = [call(&[
        tp(TRACE, CLIENT, "00"),
        ("baggage", "tracectl.check=1".into()),
    ])];
    assert_eq!(
        verdicts(sent(false, None), &empty, &calls),
        Vec::<&str>::new()
    );
    let calls = [call(&[
        tp(TRACE, CLIENT, "01"),
        ("baggage", "tracectl.check=1".into()),
    ])];
    assert_eq!(verdicts(sent(true, None), &empty, &calls), ["PRP009"]);
    assert_eq!(verdicts(sent(false, None), &good_spans(), &[]), ["PRP010"]);
}
