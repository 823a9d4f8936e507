//! The entry point shared by the cargo-fuzz target, the corpus replay test and the proptest
//! suite: everything the CLI does with untrusted input, minus the I/O.

use crate::convert::{self, Target};
use crate::input::Header;
use crate::{AS_NAMES, Kind, Level, Options, decode_line, request};

const TARGETS: [Target; 6] = [
    Target::W3c,
    Target::B3,
    Target::B3Multi,
    Target::Jaeger,
    Target::XRay,
    Target::Datadog,
];

/// Decodes `data` the way `tracectl decode-header` does. The first byte picks the level, the
/// `--as` kind and the clock; the rest are lines, with blank lines ending requests. Every
/// converted context is decoded again and must name the same trace.
pub fn run(data: &[u8]) {
    let (setup, input) = data.split_first().map_or((0, data), |(s, rest)| (*s, rest));
    let opts = Options {
        level: if setup & 1 == 0 {
            Level::Two
        } else {
            Level::One
        },
        now: (setup & 2 != 0).then_some(1_795_219_200),
    };
    let as_kind = AS_NAMES
        .get(usize::from(setup >> 2))
        .and_then(|n| Kind::from_as(n));
    let mut request: Vec<Header<'_>> = Vec::new();
    for line in input.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            finish(&mut request, &opts);
            continue;
        }
        request.extend(decode_line(line, as_kind, &opts));
    }
    finish(&mut request, &opts);
}

fn finish(request: &mut Vec<Header<'_>>, opts: &Options) {
    request::check(request);
    if let Ok(ctx) = convert::context(request) {
        for target in TARGETS {
            let converted = convert::convert(&ctx, target, opts.now);
            let lines: Vec<String> = converted
                .headers
                .iter()
                .map(|(name, value)| format!("{name}: {value}"))
                .collect();
            let mut again: Vec<Header<'_>> = lines
                .iter()
                .filter_map(|l| decode_line(l.as_bytes(), None, opts))
                .collect();
            request::check(&mut again);
            if let Ok(back) = convert::context(&again) {
                assert_eq!(
                    back.trace_id, ctx.trace_id,
                    "{target:?} changed the trace id: {lines:?}"
                );
                assert_eq!(
                    back.span_id, ctx.span_id,
                    "{target:?} changed the span id: {lines:?}"
                );
            }
        }
    }
    request.clear();
}
