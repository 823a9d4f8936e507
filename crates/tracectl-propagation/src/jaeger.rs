//! Jaeger native propagation: `uber-trace-id`, `uberctx-{key}` baggage and `jaeger-debug-id`.

use crate::hex::{self, char_at};
use crate::w3c::percent_decode;
use crate::{Decoded, Details};

const SAMPLED: u8 = 0x01;
const DEBUG: u8 = 0x02;
const FIREHOSE: u8 = 0x08;

/// `uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}`, URL-encoded or not.
pub(crate) fn uber_trace_id(v: &str, d: &mut Decoded) {
    let url_decoded = if v.contains('%') {
        match percent_decode(v).map(String::from_utf8) {
            Ok(Ok(s)) => Some(s),
            _ => {
                d.error(
                    "bad-percent-encoding",
                    v.find('%'),
                    "the value has a `%` that does not URL-decode to UTF-8; expected e.g. `%3A` for `:`"
                        .to_string(),
                );
                return;
            }
        }
    } else {
        None
    };
    let text = url_decoded.as_deref().unwrap_or(v);
    // Columns point into the value as given; after URL-decoding they would not line up.
    let col = |c: usize| url_decoded.is_none().then_some(c);
    let fields: Vec<&str> = text.split(':').collect();
    let [trace, span, parent, flags] = fields.as_slice() else {
        d.error(
            "field-count",
            None,
            format!(
                "expected 4 fields separated by `:` (trace-id:span-id:parent-span-id:flags), \
                 found {}",
                fields.len()
            ),
        );
        return;
    };
    let mut offset = 0;
    let mut cols = [0usize; 4];
    for (i, f) in fields.iter().enumerate() {
        if let Some(c) = cols.get_mut(i) {
            *c = offset;
        }
        offset += f.len() + 1;
    }
    let [trace_col, span_col, parent_col, flags_col] = cols;
    d.trace_id = id_field(d, trace, col(trace_col), "trace-id", 32);
    if d.trace_id == Some(0) {
        d.error(
            "zero-trace-id",
            col(trace_col),
            "the trace-id is zero, which is invalid: receivers start a new trace".to_string(),
        );
    } else if trace.len() <= 16 && d.trace_id.is_some() {
        d.warn(
            "trace-id-64-bit",
            col(trace_col),
            "the trace-id has at most 64 bits: it is left-padded to 128 bits for W3C, and \
             systems that keep 128 bits may not join it"
                .to_string(),
        );
    }
    d.span_id = id_field(d, span, col(span_col), "span-id", 16).and_then(|n| u64::try_from(n).ok());
    if d.span_id == Some(0) {
        d.error(
            "zero-span-id",
            col(span_col),
            "the span-id is zero, which is invalid".to_string(),
        );
    }
    d.parent_span_id = id_field(d, parent, col(parent_col), "parent-span-id", 16)
        .and_then(|n| u64::try_from(n).ok())
        .filter(|&n| n != 0);
    jaeger_flags(d, flags, col(flags_col));
    let firehose = d.flags.is_some_and(|f| f & FIREHOSE != 0);
    d.details = Details::Jaeger {
        firehose,
        url_decoded,
    };
}

/// A hex id of 1 to `max` digits (left-padded by receivers); uppercase is a warning because
/// jaeger-client-go accepts it.
fn id_field(d: &mut Decoded, s: &str, col: Option<usize>, what: &str, max: usize) -> Option<u128> {
    if s.is_empty() || s.len() > max {
        d.error(
            "wrong-length",
            col,
            format!(
                "the {what} has {}; expected 1 to {max} hex digits",
                hex::characters(s.len())
            ),
        );
        return hex::parse(s);
    }
    if let Some(i) = s.bytes().position(|c| !c.is_ascii_hexdigit()) {
        d.error(
            "not-hex",
            col.map(|c| c + i),
            format!(
                "the {what} contains `{}`, which is not a hex digit",
                char_at(s, i).escape_debug()
            ),
        );
        return None;
    }
    if let Some(i) = s.bytes().position(|c| c.is_ascii_uppercase()) {
        d.warn(
            "uppercase-hex",
            col.map(|c| c + i),
            format!(
                "the {what} has uppercase hex: Jaeger clients accept it, but send lowercase \
                 `{}` for other propagators",
                s.to_ascii_lowercase()
            ),
        );
    }
    hex::parse(s)
}

fn jaeger_flags(d: &mut Decoded, s: &str, col: Option<usize>) {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        d.error(
            "bad-flags",
            col,
            format!("the flags `{s}` are not one byte as one or two hex digits; expected e.g. 1 (sampled), 3 (debug) or 0"),
        );
        return;
    }
    let Some(f) = hex::parse(s).and_then(|n| u8::try_from(n).ok()) else {
        return;
    };
    let decimal = s.parse::<u8>().ok();
    if decimal != Some(f) {
        let how = match decimal {
            Some(n) => format!("as {n:#04x}"),
            None => "not at all and drops the header".to_string(),
        };
        d.warn(
            "flags-decimal",
            col,
            format!(
                "flags `{s}` are {f:#04x} as hex (OpenTelemetry), but jaeger-client-go parses \
                 them as decimal, {how}; send a single digit 0-9"
            ),
        );
    }
    d.flags = Some(f);
    d.sampled = Some(f & SAMPLED != 0);
    d.debug = Some(f & DEBUG != 0);
    if f & DEBUG != 0 && f & SAMPLED == 0 {
        d.warn(
            "debug-without-sampled",
            col,
            "the debug flag (0x02) is set without sampled (0x01); debug is only meaningful on a \
             sampled trace: send 3"
                .to_string(),
        );
    }
    let reserved = f & !(SAMPLED | DEBUG | FIREHOSE);
    if reserved != 0 {
        d.warn(
            "reserved-flags",
            col,
            format!("flags set bits {reserved:#04x} that Jaeger does not define"),
        );
    }
}

/// `uberctx-{key}: value`: one Jaeger baggage item, URL-encoded value.
pub(crate) fn uberctx(name: &str, v: &str, d: &mut Decoded) {
    let key = name.get(8..).unwrap_or_default().to_ascii_lowercase();
    if key.is_empty() {
        d.error(
            "empty-key",
            None,
            "the header name has no key after `uberctx-`; expected e.g. uberctx-user-id"
                .to_string(),
        );
    }
    let value = match percent_decode(v) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(i) => {
            d.warn(
                "bad-percent-encoding",
                Some(i),
                "the value has a `%` not followed by two hex digits; Jaeger clients URL-decode \
                 baggage values, so encode `%` as %25"
                    .to_string(),
            );
            v.to_string()
        }
    };
    d.details = Details::UberCtx { key, value };
}

/// `jaeger-debug-id: <correlation id>`: forces a sampled debug trace.
pub(crate) fn debug_id(v: &str, d: &mut Decoded) {
    if v.is_empty() {
        d.error(
            "empty-value",
            None,
            "jaeger-debug-id is empty; it needs a correlation id, which is stored as a tag on the root span"
                .to_string(),
        );
        return;
    }
    d.sampled = Some(true);
    d.debug = Some(true);
    d.details = Details::DebugId(v.to_string());
}
