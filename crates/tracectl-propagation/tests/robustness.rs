//! No input makes a parser panic: a proptest suite over every parser, the committed fuzz corpus
//! replayed on stable, and round trips of generated valid contexts through every format.

use std::path::Path;

use proptest::prelude::*;
use tracectl_propagation::convert::{self, Target};
use tracectl_propagation::input::Header;
use tracectl_propagation::{AS_NAMES, Kind, Options, decode, decode_line, fuzzing, request};

/// Characters that matter to some header grammar, so that generated values get past the first
/// checks more often than random bytes do.
const ALPHABET: &str = "[0-9a-fA-F:;=,.%@*/_ \\-\t\"'<>dDRootParentSampledLineage1Ae+]{0,80}";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        fuzzing::run(&data);
    }

    #[test]
    fn every_parser_survives_header_like_values(value in ALPHABET, kind in 0..AS_NAMES.len()) {
        let kind = AS_NAMES.get(kind).and_then(|n| Kind::from_as(n));
        let d = decode(kind, Some("uberctx-k"), &value, &Options::default());
        for f in d.errors.iter().chain(&d.warnings) {
            prop_assert!(f.column.is_none_or(|c| c <= value.len() + 1), "{f:?} outside {value:?}");
        }
        let _ = decode(None, None, &value, &Options::default());
    }

    #[test]
    fn requests_of_header_like_lines_never_panic(lines in proptest::collection::vec(ALPHABET, 0..6), names in proptest::collection::vec(0..AS_NAMES.len(), 6)) {
        let text: Vec<String> = lines
            .iter()
            .zip(&names)
            .map(|(v, &n)| format!("{}: {v}", AS_NAMES.get(n).copied().unwrap_or("b3")))
            .collect();
        fuzzing::run(text.join("\n").as_bytes());
    }

    #[test]
    fn valid_traceparents_round_trip_through_every_format(trace in 1u128.., span in 1u64.., flags in 0u8..4) {
        let line = format!("traceparent: 00-{trace:032x}-{span:016x}-{flags:02x}");
        let mut headers: Vec<Header<'_>> = decode_line(line.as_bytes(), None, &Options::default()).into_iter().collect();
        prop_assert!(headers.iter().all(|h| h.decoded.is_valid()), "{line}");
        request::check(&mut headers);
        let ctx = convert::context(&headers);
        prop_assert!(ctx.is_ok());
        let Ok(ctx) = ctx else { return Ok(()) };
        for target in [Target::W3c, Target::B3, Target::B3Multi, Target::Jaeger, Target::XRay, Target::Datadog] {
            let out = convert::convert(&ctx, target, None);
            let lines: Vec<String> = out.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect();
            let mut again: Vec<Header<'_>> = lines.iter().filter_map(|l| decode_line(l.as_bytes(), None, &Options::default())).collect();
            request::check(&mut again);
            let lower_zero = target == Target::Datadog && trace as u64 == 0;
            prop_assert!(lower_zero || again.iter().all(|h| h.decoded.is_valid()), "{lines:?}");
            if let Ok(back) = convert::context(&again) {
                prop_assert_eq!((back.trace_id, back.span_id), (trace, span), "{:?}", lines);
                prop_assert_eq!(back.sampled, Some(flags & 1 == 1), "{:?}", lines);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The `--quiet` fast path never accepts what the full decoder rejects.
    #[test]
    fn the_traceparent_fast_path_agrees_with_the_decoder(
        value in "(00|01|ff|0A)-[0-9a-fA-F]{30,33}-[0-9a-f]{15,16}-[0-9a-fx]{2}(-x)?",
        zero_trace in any::<bool>(),
        zero_span in any::<bool>(),
    ) {
        let mut value = value;
        if zero_trace && value.len() > 35 {
            value.replace_range(3..35, &"0".repeat(32));
        }
        if zero_span && value.len() > 52 {
            value.replace_range(36..52, &"0".repeat(16));
        }
        let full = decode_line(value.as_bytes(), None, &Options::default()).map(|h| h.decoded.is_valid());
        if tracectl_propagation::is_plain_valid_traceparent(value.as_bytes()) {
            prop_assert_eq!(full, Some(true), "{}", value);
        }
    }
}

#[test]
fn the_fast_path_takes_plain_valid_values_only() {
    let fast = tracectl_propagation::is_plain_valid_traceparent;
    assert!(fast(
        b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    ));
    assert!(!fast(
        b"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"
    ));
    assert!(!fast(
        b"00-00000000000000000000000000000000-00f067aa0ba902b7-01"
    ));
    assert!(!fast(
        b"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"
    ));
    assert!(!fast(
        b"cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    ));
    assert!(!fast(
        b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 "
    ));
}

#[test]
fn the_committed_fuzz_corpus_replays_without_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/decode");
    let entries = std::fs::read_dir(&dir).map(|d| d.flatten().collect::<Vec<_>>());
    let Ok(entries) = entries else {
        panic!("the seed corpus {} is missing", dir.display());
    };
    assert!(
        entries.len() >= 10,
        "the seed corpus {} has only {} files",
        dir.display(),
        entries.len()
    );
    for entry in entries {
        let data = std::fs::read(entry.path()).unwrap_or_default();
        fuzzing::run(&data);
    }
}

#[test]
fn a_line_of_one_mebibyte_decodes() {
    let line = format!("baggage: k={}", "v".repeat(1 << 20));
    let d = decode_line(line.as_bytes(), None, &Options::default()).map(|h| h.decoded);
    assert_eq!(d.map(|d| d.warnings.len()), Some(1));
}
