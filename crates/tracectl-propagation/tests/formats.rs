//! Valid and invalid cases for every format, with the examples of the specs (field guide Part 2,
//! A1–A7).

use tracectl_propagation::convert::{self, Target};
use tracectl_propagation::input::Header;
use tracectl_propagation::{Decoded, Details, Kind, Level, Options, decode_line, request};

/// 2026-11-21T00:00:00Z, so X-Ray epoch ages are stable.
const NOW: u64 = 1_795_219_200;

fn opts() -> Options {
    Options {
        level: Level::Two,
        now: Some(NOW),
    }
}

fn one_with(line: &str, opts: &Options) -> Decoded {
    decode_line(line.as_bytes(), None, opts)
        .map(|h| h.decoded)
        .unwrap_or_default()
}

fn one(line: &str) -> Decoded {
    one_with(line, &opts())
}

fn request_of<'a>(lines: &[&'a str]) -> Vec<Header<'a>> {
    let mut headers: Vec<Header<'a>> = lines
        .iter()
        .filter_map(|l| decode_line(l.as_bytes(), None, &opts()))
        .collect();
    request::check(&mut headers);
    headers
}

fn errors(d: &Decoded) -> Vec<&'static str> {
    d.errors.iter().map(|f| f.code).collect()
}

fn warnings(d: &Decoded) -> Vec<&'static str> {
    d.warnings.iter().map(|f| f.code).collect()
}

/// Asserts the header is valid and has exactly these warnings.
fn valid(line: &str, warns: &[&str]) -> Decoded {
    let d = one(line);
    assert!(
        d.errors.is_empty(),
        "{line}: unexpected errors {:?}",
        d.errors
    );
    assert_eq!(warnings(&d), warns, "{line}");
    d
}

/// Asserts the header is invalid with `code` among its errors, pointing at `column`.
fn invalid(line: &str, code: &str, column: Option<usize>) {
    let d = one(line);
    let f = d.errors.iter().find(|f| f.code == code);
    assert!(
        f.is_some(),
        "{line}: expected error {code}, got {:?}",
        d.errors
    );
    assert_eq!(f.and_then(|f| f.column), column, "{line}: column of {code}");
}

const TP: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[test]
fn traceparent_spec_examples_are_valid() {
    let d = valid(&format!("traceparent: {TP}"), &[]);
    assert_eq!(d.trace_id, Some(0x4bf92f3577b34da6a3ce929d0e0e4736));
    assert_eq!(d.span_id, Some(0x00f067aa0ba902b7));
    assert_eq!(
        (d.version, d.flags, d.sampled, d.random),
        (Some(0), Some(1), Some(true), Some(false))
    );
    let d = valid(
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
        &[],
    );
    assert_eq!(d.sampled, Some(false));
    let d = valid(
        "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03",
        &[],
    );
    assert_eq!((d.sampled, d.random), (Some(true), Some(true)));
}

#[test]
fn traceparent_future_versions_are_read_as_version_00() {
    let d = valid(
        "traceparent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-anything",
        &["future-version"],
    );
    assert_eq!((d.version, d.sampled), (Some(0xcc), Some(true)));
    invalid(
        "traceparent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
        "missing-fields",
        Some(55),
    );
    invalid(
        "traceparent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "too-short",
        Some(52),
    );
}

#[test]
fn traceparent_errors_name_the_rule_and_column() {
    invalid(
        "traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "uppercase-hex",
        Some(4),
    );
    invalid(
        "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "zero-trace-id",
        Some(3),
    );
    invalid(
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "zero-span-id",
        Some(36),
    );
    invalid(
        "traceparent: ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "version-ff",
        Some(0),
    );
    invalid(&format!("traceparent: {TP}-xyz"), "extra-data", Some(55));
    invalid(&format!("traceparent: {TP}."), "extra-data", Some(55));
    invalid(
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "wrong-length",
        Some(3),
    );
    invalid(
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "missing-fields",
        Some(52),
    );
    invalid(
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba9g2b7-01",
        "not-hex",
        Some(48),
    );
    invalid(
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
        "wrong-length",
        Some(53),
    );
    invalid(
        "traceparent: 0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "bad-version",
        Some(0),
    );
    invalid(
        "traceparent: 00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "bad-version",
        Some(2),
    );
    invalid("traceparent: ", "bad-version", Some(0));
}

#[test]
fn traceparent_warnings_are_accepted_risks() {
    valid(
        "traceparent: 00-0000000000000000a3ce929d0e0e4736-00f067aa0ba902b7-01",
        &["trace-id-64-bit"],
    );
    valid(
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-05",
        &["reserved-flags"],
    );
    let l1 = Options {
        level: Level::One,
        now: None,
    };
    let d = one_with(
        "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03",
        &l1,
    );
    assert_eq!((warnings(&d), d.random), (vec!["reserved-flags"], None));
}

#[test]
fn traceresponse_and_server_timing_carry_a_traceparent() {
    let d = valid(&format!("< traceresponse: {TP}"), &[]);
    assert_eq!(d.kind, Kind::TraceResponse);
    let d = valid(
        &format!("server-timing: cache;desc=hit, trace;desc={TP}"),
        &[],
    );
    assert_eq!(
        (d.kind, d.span_id),
        (Kind::ServerTiming, Some(0x00f067aa0ba902b7))
    );
    valid(&format!("Server-Timing: TRACE;desc=\"{TP}\""), &[]);
    invalid(
        "server-timing: trace;desc=00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "uppercase-hex",
        Some(15),
    );
    invalid("server-timing: cache;desc=hit", "no-trace-metric", None);
}

#[test]
fn tracestate_spec_examples_are_valid() {
    let d = valid("tracestate: rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", &[]);
    let Details::TraceState(members) = d.details else {
        panic!("no members")
    };
    assert_eq!(members.len(), 2);
    valid("tracestate: fw529a3039@dt=abc, 0digit=x,  ,", &[]);
    valid("tracestate:", &["empty-tracestate"]);
}

#[test]
fn tracestate_levels_differ_on_keys_and_duplicates() {
    let l1 = Options {
        level: Level::One,
        now: None,
    };
    assert_eq!(
        errors(&one_with("tracestate: 0digit=x", &l1)),
        ["invalid-key"]
    );
    assert_eq!(
        errors(&one_with("tracestate: a@b@c=x", &l1)),
        ["invalid-key"]
    );
    assert_eq!(
        errors(&one_with("tracestate: a=1,a=2", &l1)),
        ["duplicate-key"]
    );
    valid("tracestate: a=1,a=2", &["duplicate-key"]);
    valid("tracestate: a@b@c=x", &[]);
}

#[test]
fn tracestate_errors() {
    let members: Vec<String> = (0..33).map(|i| format!("k{i}=v")).collect();
    let line = format!("tracestate: {}", members.join(","));
    let d = one(&line);
    assert_eq!(errors(&d), ["too-many-members"]);
    invalid("tracestate: Rojo=1", "invalid-key", Some(0));
    invalid("tracestate: rojo=a=b", "invalid-value", Some(6));
    invalid("tracestate: rojo=", "invalid-value", Some(5));
    invalid("tracestate: rojo", "missing-equals", Some(0));
    let long = format!("tracestate: a={},b={}", "x".repeat(256), "y".repeat(256));
    valid(&long, &["tracestate-too-long"]);
}

#[test]
fn baggage_spec_examples_are_valid() {
    let d = valid(
        "baggage: userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false",
        &[],
    );
    let Details::Baggage(m) = d.details else {
        panic!("no members")
    };
    assert_eq!(
        (m[0].value.as_str(), m[1].value.as_str()),
        ("Amélie", "DF 28")
    );
    let d = valid(
        "baggage: key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue",
        &[],
    );
    let Details::Baggage(m) = d.details else {
        panic!("no members")
    };
    assert_eq!(m.len(), 3);
    assert_eq!(m[0].properties, ["property1", "property2"]);
    assert_eq!(m[1].value, "value2");
    let d = valid("baggage: SomeKey=SomeValue=equals", &[]);
    let Details::Baggage(m) = d.details else {
        panic!("no members")
    };
    assert_eq!(m[0].value, "SomeValue=equals");
}

#[test]
fn baggage_errors_and_limits() {
    invalid("baggage: a b=1", "invalid-key", Some(1));
    invalid("baggage: k=a\"b", "invalid-value", Some(3));
    invalid("baggage: k=50%", "bad-percent-encoding", Some(4));
    invalid("baggage: k", "missing-equals", Some(0));
    valid("baggage: k=%ff", &["invalid-utf8"]);
    let many: Vec<String> = (0..65).map(|i| format!("k{i}=v")).collect();
    valid(
        &format!("baggage: {}", many.join(",")),
        &["baggage-too-many-members"],
    );
    valid(
        &format!("baggage: k={}", "v".repeat(8200)),
        &["baggage-too-long"],
    );
}

#[test]
fn jaeger_spec_examples_are_valid() {
    let d = valid(
        "uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1",
        &[],
    );
    assert_eq!(
        (d.sampled, d.debug, d.parent_span_id),
        (Some(true), Some(false), None)
    );
    let d = valid("uber-trace-id: abc:def:0:1", &["trace-id-64-bit"]);
    assert_eq!((d.trace_id, d.span_id), (Some(0xabc), Some(0xdef)));
    let d = valid(
        "uber-trace-id: 000000000000000000000000deadbeef:00000000deadbef0:00000000:01",
        &[],
    );
    assert_eq!(d.trace_id, Some(0xdeadbeef));
    let d = valid("uber-trace-id: abc%3Adef%3A0%3A3", &["trace-id-64-bit"]);
    assert_eq!((d.sampled, d.debug), (Some(true), Some(true)));
    let d = valid(
        "Uber-Trace-Id: 4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:9",
        &[],
    );
    assert!(matches!(d.details, Details::Jaeger { firehose: true, .. }));
}

#[test]
fn jaeger_errors_and_warnings() {
    invalid("uber-trace-id: abc:def:0", "field-count", None);
    invalid(
        &format!("uber-trace-id: {}:def:0:1", "a".repeat(33)),
        "wrong-length",
        Some(0),
    );
    invalid(
        &format!("uber-trace-id: abc:{}:0:1", "a".repeat(17)),
        "wrong-length",
        Some(4),
    );
    invalid(
        "uber-trace-id: 00000000000000000000000000000000:def:0:1",
        "zero-trace-id",
        Some(0),
    );
    invalid("uber-trace-id: abc:def:0:100", "bad-flags", Some(10));
    valid(
        "uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:2",
        &["debug-without-sampled"],
    );
    valid(
        "uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:10",
        &["flags-decimal", "reserved-flags"],
    );
    valid(
        "uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:b",
        &["flags-decimal"],
    );
    valid(
        "uber-trace-id: 4BF92F3577B34DA6A3CE929D0E0E4736:00f067aa0ba902b7:0:1",
        &["uppercase-hex"],
    );
}

#[test]
fn jaeger_baggage_and_debug_id() {
    let d = valid("uberctx-user-id: value%201", &[]);
    assert_eq!(
        d.details,
        Details::UberCtx {
            key: "user-id".into(),
            value: "value 1".into()
        }
    );
    let d = valid("jaeger-debug-id: my-correlation-id", &[]);
    assert_eq!((d.sampled, d.debug), (Some(true), Some(true)));
    invalid("jaeger-debug-id:", "empty-value", None);
}

#[test]
fn b3_single_spec_examples_are_valid() {
    let d = valid(
        "b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90",
        &[],
    );
    assert_eq!(
        (d.sampled, d.parent_span_id),
        (Some(true), Some(0x05e3ac9a4f6e3b90))
    );
    let d = valid(
        "b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d",
        &[],
    );
    assert_eq!((d.sampled, d.debug), (Some(true), Some(true)));
    valid(
        "b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1",
        &["deferred-sampling"],
    );
    valid(
        "b3: a3ce929d0e0e4736-e457b5a2e4d86bd1-0",
        &["trace-id-64-bit"],
    );
    for (v, sampled, debug) in [("0", false, false), ("1", true, false), ("d", true, true)] {
        let d = valid(&format!("b3: {v}"), &[]);
        assert_eq!(
            (d.sampled, d.debug),
            (Some(sampled), Some(debug)),
            "b3: {v}"
        );
    }
}

#[test]
fn b3_errors() {
    invalid(
        "b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-x",
        "bad-sampling-state",
        Some(50),
    );
    invalid(
        "b3: 80F198EE56343BA864FE8B2A57D3EFF7-e457b5a2e4d86bd1-1",
        "uppercase-hex",
        Some(2),
    );
    invalid(
        "b3: 80f198ee56343ba864fe8b2a57d3eff-e457b5a2e4d86bd1-1",
        "wrong-length",
        Some(0),
    );
    invalid("b3: 80f198ee56343ba864fe8b2a57d3eff7", "field-count", None);
    invalid("X-B3-ParentSpanId: -", "wrong-length", Some(0));
    invalid("X-B3-Sampled: yes", "bad-sampled", Some(0));
    invalid("x-b3-traceid:", "empty-value", None);
}

#[test]
fn b3_multi_headers_group_into_one_context() {
    let req = request_of(&[
        "X-B3-TraceId: 463ac35c9f6413ad48485a3953bb6124",
        "X-B3-SpanId: a2fb4a1d1a96d312",
        "X-B3-ParentSpanId: 0020000000000001",
        "X-B3-Sampled: 1",
    ]);
    assert!(
        req.iter()
            .all(|h| h.decoded.is_valid() && h.decoded.warnings.is_empty())
    );
    let ctx = convert::context(&req).ok();
    assert_eq!(
        ctx.map(|c| (c.trace_id, c.span_id, c.sampled)),
        Some((
            0x463ac35c9f6413ad48485a3953bb6124,
            0xa2fb4a1d1a96d312,
            Some(true)
        ))
    );
    let req = request_of(&["x-b3-spanid: a2fb4a1d1a96d312"]);
    assert_eq!(errors(&req[0].decoded), ["b3-incomplete"]);
}

#[test]
fn xray_spec_examples_are_valid() {
    let d = valid(
        "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        &["old-epoch"],
    );
    assert_eq!(d.trace_id, Some(0x5759e988bd862e3fe1be46a994272793));
    assert_eq!(
        (d.timestamp, d.span_id, d.sampled),
        (Some(0x5759e988), Some(0x53995c3f42cd8ad8), Some(true))
    );
    let recent = format!("{:08x}", NOW - 86_400);
    let d = valid(
        &format!(
            "X-Amzn-Trace-Id: Root=1-{recent}-bd862e3fe1be46a994272793;Sampled=0;Lineage=1:fe460cdd:0"
        ),
        &[],
    );
    assert!(matches!(
        d.details,
        Details::XRay {
            lineage: Some(_),
            ..
        }
    ));
    valid(
        &format!("X-Amzn-Trace-Id: Root=1-{recent}-bd862e3fe1be46a994272793;Sampled=?"),
        &["deferred-sampling"],
    );
}

#[test]
fn xray_errors() {
    invalid(
        "X-Amzn-Trace-Id: Parent=53995c3f42cd8ad8;Sampled=1",
        "missing-root",
        None,
    );
    invalid(
        "X-Amzn-Trace-Id: Root=2-5759e988-bd862e3fe1be46a994272793",
        "bad-root",
        Some(5),
    );
    invalid(
        "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a99427279;Sampled=1",
        "wrong-length",
        Some(16),
    );
    invalid(
        "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=yes",
        "bad-sampled",
        Some(49),
    );
}

#[test]
fn datadog_vectors_convert_to_w3c() {
    let req = request_of(&[
        "x-datadog-trace-id: 13456083532195625354",
        "x-datadog-parent-id: 8693358186769430195",
        "x-datadog-sampling-priority: 1",
        "x-datadog-origin: rum",
    ]);
    assert!(req.iter().all(|h| h.decoded.is_valid()));
    let ctx = convert::context(&req);
    let w3c = ctx.map(|c| convert::convert(&c, Target::W3c, Some(NOW)).headers);
    assert_eq!(
        w3c,
        Ok(vec![(
            "traceparent",
            "00-0000000000000000babd9caddc80f98a-78a5033623a036b3-01".to_string()
        )])
    );
    let req = request_of(&[
        "x-datadog-trace-id: 1234",
        "x-datadog-parent-id: 1",
        "x-datadog-tags: _dd.p.tid=0000000000004321,_dd.p.dm=-4",
    ]);
    assert_eq!(
        req[0].decoded.trace_id,
        Some(0x000000000000432100000000000004d2)
    );
    assert_eq!(req[0].decoded.warnings, vec![]);
}

#[test]
fn datadog_errors() {
    invalid("x-datadog-trace-id: 0x1f", "not-decimal", Some(1));
    invalid(
        "x-datadog-trace-id: 18446744073709551616",
        "not-decimal",
        Some(0),
    );
    invalid("x-datadog-trace-id: 0", "zero-trace-id", Some(0));
    invalid(
        "x-datadog-tags: _dd.p.tid=43210000",
        "malformed-tid",
        Some(10),
    );
    invalid(
        &format!("x-datadog-tags: _dd.p.x={}", "a".repeat(520)),
        "tags-too-long",
        Some(512),
    );
    valid("x-datadog-sampling-priority: 5", &["unknown-priority"]);
}

#[test]
fn grpc_trace_bin_vector_decodes_padded_or_not() {
    for v in [
        "AABL+S81d7NNpqPOkp0ADkc2ATTwZ6oLqQK3AgE=",
        "AABL+S81d7NNpqPOkp0ADkc2ATTwZ6oLqQK3AgE",
    ] {
        let d = valid(&format!("grpc-trace-bin: {v}"), &[]);
        assert_eq!(d.trace_id, Some(0x4bf92f3577b34da6a3ce929d000e4736));
        assert_eq!(
            (d.span_id, d.sampled),
            (Some(0x34f067aa0ba902b7), Some(true))
        );
    }
    invalid("grpc-trace-bin: AABL+S81d7NNpqPOkp0A", "truncated", None);
    invalid(
        "grpc-trace-bin: AABL+S81d7NNpqPOkp0ADkc2",
        "missing-span-id",
        None,
    );
    invalid("grpc-trace-bin: AABL*S81", "bad-base64", Some(4));
    invalid("grpc-trace-bin: AQ", "bad-version", None);
}

#[test]
fn sw8_fields_are_base64_decoded() {
    let d = valid(
        "sw8: 1-YTEuMi4z-NWM1Mi4x-3-c2VydmljZQ==-aW5zdGFuY2U=-L2FwaS92MQ==-MTI3LjAuMC4xOjgwODA=",
        &[],
    );
    let Details::Sw8(s) = d.details else {
        panic!("no sw8 fields")
    };
    assert_eq!(
        (
            s.trace_id.as_str(),
            s.parent_span_id,
            s.parent_endpoint.as_str()
        ),
        ("a1.2.3", 3, "/api/v1")
    );
    invalid("sw8: 1-a-b", "field-count", None);
    invalid(
        "sw8: 2-YTEuMi4z-NWM1Mi4x-3-c2VydmljZQ==-aW5zdGFuY2U=-L2FwaS92MQ==-MTI3LjAuMC4xOjgwODA=",
        "bad-sampled",
        Some(0),
    );
}

#[test]
fn bare_values_are_detected_by_shape() {
    let cases = [
        (TP, Kind::TraceParent),
        (
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
            Kind::XRay,
        ),
        ("abc:def:0:1", Kind::UberTraceId),
        ("abc%3Adef%3A0%3A1", Kind::UberTraceId),
        (
            "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d",
            Kind::B3,
        ),
        ("d", Kind::B3),
        ("463ac35c9f6413ad48485a3953bb6124", Kind::B3TraceId),
        ("13456083532195625354", Kind::DatadogTraceId),
        (
            "AABL+S81d7NNpqPOkp0ADkc2ATTwZ6oLqQK3AgE=",
            Kind::GrpcTraceBin,
        ),
        ("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", Kind::TraceState),
        ("userId=Am%C3%A9lie", Kind::Baggage),
        (
            "1-YTEuMi4z-NWM1Mi4x-3-c2VydmljZQ==-aW5zdGFuY2U=-L2FwaS92MQ==-MTI3LjAuMC4xOjgwODA=",
            Kind::Sw8,
        ),
        (&format!("trace;desc={TP}"), Kind::ServerTiming),
        // Cut short (a log line's truncation): still a traceparent, not a B3 header.
        (
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
            Kind::TraceParent,
        ),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736", Kind::TraceParent),
    ];
    for (v, kind) in cases {
        let d = one(v);
        assert_eq!((d.kind, d.assumed), (kind, true), "{v}");
    }
    assert_eq!(errors(&one("hello world")), ["unknown-format"]);
}

#[test]
fn cross_header_findings() {
    let two = request_of(&[
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03",
    ]);
    assert!(
        two.iter()
            .all(|h| errors(&h.decoded) == ["duplicate-traceparent"])
    );
    let orphan = request_of(&[
        "traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "tracestate: rojo=1",
    ]);
    assert_eq!(
        errors(&orphan[1].decoded),
        ["tracestate-without-valid-traceparent"]
    );
    let first = format!(
        "tracestate: {}",
        (0..20)
            .map(|i| format!("a{i}=1"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let second = format!(
        "tracestate: {}",
        (0..13)
            .map(|i| format!("b{i}=1"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let combined = request_of(&[
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        &first,
        &second,
    ]);
    assert_eq!(errors(&combined[1].decoded), Vec::<&str>::new());
    assert_eq!(errors(&combined[2].decoded), ["too-many-members"]);
    let alone = request_of(&["tracestate: rojo=1"]);
    assert_eq!(
        warnings(&alone[0].decoded),
        ["tracestate-without-traceparent"]
    );
    let mismatch = request_of(&[
        "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4737:00f067aa0ba902b7:0:1",
        "b3: 4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
    ]);
    assert_eq!(errors(&mismatch[1].decoded), ["trace-id-mismatch"]);
    assert!(mismatch[2].decoded.is_valid());
}

#[test]
fn conversions_say_what_is_lost() {
    let req = request_of(&["traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03"]);
    let Ok(ctx) = convert::context(&req) else {
        panic!("no context")
    };
    let xray = convert::convert(&ctx, Target::XRay, Some(NOW));
    assert_eq!(
        xray.headers,
        [(
            "X-Amzn-Trace-Id",
            "Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=b7ad6b7169203331;Sampled=1"
                .to_string()
        )]
    );
    assert_eq!(xray.notes.len(), 2, "{:?}", xray.notes);
    let dd = convert::convert(&ctx, Target::Datadog, Some(NOW));
    assert_eq!(
        dd.headers[0],
        ("x-datadog-trace-id", "9532127138774266268".to_string())
    );
    assert_eq!(
        dd.headers.last().map(|h| h.1.as_str()),
        Some("_dd.p.tid=0af7651916cd43dd")
    );
    let jaeger = convert::convert(&ctx, Target::Jaeger, None);
    assert_eq!(
        jaeger.headers[0].1,
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1"
    );
    let b3 = convert::convert(&ctx, Target::B3Multi, None);
    assert_eq!(b3.headers.len(), 3);
    assert!(convert::context(&request_of(&["tracestate: a=b"])).is_err());
}
