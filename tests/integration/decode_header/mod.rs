//! `tracectl decode-header` through the built binary: output snapshots (human, JSON, --to),
//! exit codes, stdin handling, bounded and non-UTF-8 input, and the differential test against
//! the OpenTelemetry Python propagators.

mod differential;

use std::process::Output;

use crate::support::{stderr_of, stdout_of, tracectl};

/// 2026-11-21T00:00:00Z: X-Ray epoch ages in snapshots do not move.
const NOW: &str = "1795219200";

fn decode(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = tracectl();
    cmd.arg("decode-header").args(args).env("TRACECTL_NOW", NOW);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    cmd.output().expect("run tracectl decode-header")
}

/// Exit code, stdout and stderr, as one snapshot.
fn transcript(out: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        stdout_of(out),
        stderr_of(out)
    )
}

/// One spec example per format (field guide Part 2, A1–A7), valid and invalid, one per line.
const EXAMPLES: &str = "\
traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03
traceparent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-anything
traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01
traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01
traceparent: ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.
< traceresponse: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
server-timing: trace;desc=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
tracestate: rojo=00f067aa0ba902b7,congo=t61rcWkgMzE
tracestate: fw529a3039@dt=x,Rojo=1
baggage: key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue
baggage: userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false
uber-trace-id: abc%3Adef%3A0%3A1
uber-trace-id: 000000000000000000000000deadbeef:00000000deadbef0:00000000:01
uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:10
uberctx-user-id: value%201
jaeger-debug-id: checkout-42
b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90
b3: d
x-b3-traceid: 463ac35c9f6413ad48485a3953bb6124
X-B3-ParentSpanId: -
X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=1:fe460cdd:0
x-datadog-trace-id: 13456083532195625354
x-datadog-tags: _dd.p.tid=0000000000004321,_dd.p.dm=-4
grpc-trace-bin: AABL+S81d7NNpqPOkp0ADkc2ATTwZ6oLqQK3AgE
sw8: 1-YTEuMi4z-NWM1Mi4x-3-c2VydmljZQ==-aW5zdGFuY2U=-L2FwaS92MQ==-MTI3LjAuMC4xOjgwODA=
";

#[test]
fn every_format_decodes_for_people() {
    let out = decode(&["--each-line"], Some(EXAMPLES.as_bytes()));
    insta::assert_snapshot!("each_format_human", transcript(&out));
}

#[test]
fn every_format_decodes_as_json_lines() {
    let out = decode(
        &["--each-line", "--format", "json"],
        Some(EXAMPLES.as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the examples include invalid headers"
    );
    let text = stdout_of(&out);
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(
        objects.len(),
        EXAMPLES.lines().count(),
        "one object per header"
    );
    for o in &objects {
        for field in [
            "format",
            "valid",
            "trace_id",
            "span_id",
            "parent_span_id",
            "sampled",
            "flags",
            "errors",
            "warnings",
        ] {
            assert!(o.get(field).is_some(), "{field} missing from {o}");
        }
    }
    insta::assert_snapshot!("each_format_json", text);
}

#[test]
fn a_request_groups_headers_and_reports_cross_header_findings() {
    let input = "\
> traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
> tracestate: rojo=00f067aa0ba902b7
> uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4737:00f067aa0ba902b7:0:1
> Host: example.com

traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01
tracestate: rojo=00f067aa0ba902b7
";
    let out = decode(&[], Some(input.as_bytes()));
    insta::assert_snapshot!("request_cross_header_human", transcript(&out));
}

#[test]
fn arguments_accept_what_people_paste() {
    let out = decode(
        &[
            "-H 'x-datadog-trace-id: 1234'",
            "  \"x-datadog-parent-id: 8693358186769430195\"  ",
            "x-datadog-sampling-priority: 1",
            "x-datadog-tags: _dd.p.tid=0000000000004321",
        ],
        None,
    );
    insta::assert_snapshot!("arguments_datadog_human", transcript(&out));
}

#[test]
fn to_converts_and_says_what_is_lost() {
    let tp = "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03";
    let mut all = String::new();
    for to in ["w3c", "b3", "b3multi", "jaeger", "xray", "datadog"] {
        let out = decode(&["--to", to, tp], None);
        assert_eq!(out.status.code(), Some(0), "--to {to}");
        all += &format!("== --to {to}\n{}", transcript(&out));
    }
    let out = decode(
        &[
            "--to",
            "w3c",
            "--format",
            "json",
            "b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1",
        ],
        None,
    );
    all += &format!(
        "== --to w3c --format json (deferred b3)\n{}",
        transcript(&out)
    );
    let out = decode(&["--to", "b3", "tracestate: rojo=1"], None);
    assert_eq!(out.status.code(), Some(1), "nothing to convert");
    all += &format!("== --to b3 (nothing to convert)\n{}", transcript(&out));
    insta::assert_snapshot!("to_every_format", all);
}

#[test]
fn quiet_prints_nothing_and_the_exit_code_answers() {
    let valid = decode(
        &[
            "-q",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ],
        None,
    );
    assert_eq!(
        (valid.status.code(), valid.stdout.len(), valid.stderr.len()),
        (Some(0), 0, 0)
    );
    let invalid = decode(
        &[
            "-q",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        ],
        None,
    );
    assert_eq!(
        (
            invalid.status.code(),
            invalid.stdout.len(),
            invalid.stderr.len()
        ),
        (Some(1), 0, 0)
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["--level", "3", "b3: 1"][..],
        &["--as", "nope", "x"],
        &["--to", "zipkin", "b3: 1"],
    ] {
        let out = decode(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
    }
}

#[test]
fn level_1_rejects_what_level_2_allows() {
    let ts = "tracestate: 0digit=1,a=1,a=2";
    assert_eq!(decode(&["-q", ts], None).status.code(), Some(0));
    assert_eq!(
        decode(&["-q", "--level", "1", ts], None).status.code(),
        Some(1)
    );
}

#[test]
fn as_forces_the_format_of_bare_values() {
    let out = decode(
        &[
            "--as",
            "x-b3-spanid",
            "--format",
            "json",
            "463ac35c9f6413ad",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        (v["format"].as_str(), v["assumed"].as_bool()),
        (Some("b3multi"), Some(false))
    );
    assert_eq!(v["span_id"].as_str(), Some("463ac35c9f6413ad"));
}

#[test]
fn non_utf8_and_overlong_lines_are_reported_not_crashed() {
    let mut input = b"traceparent: 00-4bf9\xff\n".to_vec();
    input.extend(std::iter::repeat_n(b'a', (1 << 20) + 1));
    input.extend_from_slice(b"\nb3: 1\n");
    let out = decode(&["--each-line", "--format", "json"], Some(&input));
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<String> = stdout_of(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            v["errors"][0]["code"]
                .as_str()
                .unwrap_or("valid")
                .to_string()
        })
        .collect();
    assert_eq!(codes, ["not-utf8", "line-too-long", "valid"]);
}

#[test]
fn empty_input_is_not_a_pass() {
    let out = decode(&[], Some(b"\n\n"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("no header"));
}

const TP: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[test]
fn a_misspelled_propagation_header_alone_fails() {
    for (header, meant, nginx) in [
        (format!("trace-parent: {TP}"), "traceparent", false),
        (format!("trace.parent: {TP}"), "traceparent", false),
        (
            "uber_trace_id: 4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1".to_string(),
            "uber-trace-id",
            true,
        ),
        (format!("traceparnet: {TP}"), "traceparent", false),
    ] {
        let out = decode(&[&header], None);
        let text = stdout_of(&out);
        assert_eq!(out.status.code(), Some(1), "{header}: {text}");
        assert!(text.contains("misspelled-header"), "{text}");
        assert!(text.contains(&format!("did you mean `{meant}`")), "{text}");
        assert_eq!(text.contains("underscores_in_headers off"), nginx, "{text}");
        let json = decode(&["-f", "json", &header], None);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
        assert_eq!(
            (v["valid"].as_bool(), v["did_you_mean"].as_str()),
            (Some(false), Some(meant))
        );
    }
}

#[test]
fn a_misspelled_header_next_to_the_real_one_stays_valid() {
    let out = decode(
        &[
            &format!("traceparent: {TP}"),
            &format!("trace_parent: {TP}"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    assert!(stdout_of(&out).contains("warning     misspelled-header"));
    let other = decode(
        &[
            "Host: example.com",
            "Content-Type: text/plain",
            &format!("traceparent: {TP}"),
        ],
        None,
    );
    assert_eq!(other.status.code(), Some(0), "{}", stdout_of(&other));
}

#[test]
fn name_equals_value_from_logs_reads_as_that_header() {
    let out = decode(&["-f", "json", &format!("traceparent={TP}")], None);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        (
            v["header"].as_str(),
            v["format"].as_str(),
            v["assumed"].as_bool()
        ),
        (Some("traceparent"), Some("traceparent"), Some(false))
    );
}

#[test]
fn each_line_numbers_input_lines_and_counts() {
    let input = format!("traceparent: {TP}\n\nfoo\n{TP}\n");
    let out = decode(&["--each-line"], Some(input.as_bytes()));
    insta::assert_snapshot!("each_line_numbers_and_count", transcript(&out));
    let json = decode(&["--each-line", "-f", "json"], Some(input.as_bytes()));
    let lines: Vec<u64> = stdout_of(&json)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON")["line"]
                .as_u64()
                .unwrap_or(0)
        })
        .collect();
    assert_eq!(lines, [1, 3, 4]);
    assert_eq!(
        stderr_of(&json).trim(),
        "3 values on 4 lines: 2 valid, 1 invalid"
    );
    let quiet = decode(&["--each-line", "-q"], Some(input.as_bytes()));
    assert_eq!(
        (quiet.status.code(), quiet.stdout.len(), quiet.stderr.len()),
        (Some(1), 0, 0)
    );
}
