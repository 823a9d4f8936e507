//! W3C `traceparent` and `traceresponse`, and the Level 3 `server-timing` trace metric that
//! carries a traceparent.

use crate::hex;
use crate::{Decoded, Kind, Level, Options};

/// A bare version-00 traceparent with lowercase hex and non-zero ids: one the full decoder
/// accepts without errors. `false` only means "decode it fully".
pub fn is_plain_valid_traceparent(line: &[u8]) -> bool {
    let Some(b) = line.first_chunk::<55>() else {
        return false;
    };
    line.len() == 55
        && b.starts_with(b"00-")
        && b[35] == b'-'
        && b[52] == b'-'
        && hex::all_lower(&b[3..35])
        && hex::all_lower(&b[36..52])
        && hex::all_lower(&b[53..55])
        && b[3..35] != [b'0'; 32]
        && b[36..52] != [b'0'; 16]
}

/// `traceparent` and `traceresponse` (and the value of the `server-timing` trace metric).
pub(crate) fn traceparent(v: &str, d: &mut Decoded, opts: &Options) {
    let span_name = match d.kind {
        Kind::TraceResponse => "child-id",
        Kind::ServerTiming => "span-id",
        _ => "parent-id",
    };
    let version = v.get(..2).and_then(|s| hex::parse(s).map(|n| (s, n)));
    let Some((version_str, version)) = version else {
        d.error(
            "bad-version",
            Some(0),
            "the value must start with a 2-digit lowercase hex version and `-`, e.g. `00-`"
                .to_string(),
        );
        return;
    };
    hex::check_lower(d, version_str, 0, "version");
    if v.as_bytes().get(2) != Some(&b'-') {
        d.error(
            "bad-version",
            Some(2),
            "the version must be followed by `-`; expected `00-<trace-id>-<parent-id>-<flags>`"
                .to_string(),
        );
        return;
    }
    d.version = u8::try_from(version).ok();
    if version == 0xff {
        d.error(
            "version-ff",
            Some(0),
            "version ff is forbidden: receivers ignore the header; send version 00".to_string(),
        );
    }
    let (trace, parent, flags) = if version == 0 {
        version_00_fields(v, d)
    } else {
        future_version_fields(v, d, version)
    };
    let Some((trace, parent, flags)) = trace.zip(parent).zip(flags).map(|((t, p), f)| (t, p, f))
    else {
        return;
    };
    let trace_id = hex::lower_field(d, trace, 3, "trace-id", &[32]);
    if trace_id == Some(0) {
        d.error(
            "zero-trace-id",
            Some(3),
            "the trace-id is all zeros, which is forbidden: receivers start a new trace"
                .to_string(),
        );
    }
    let span_id = hex::lower_field(d, parent, 36, span_name, &[16]);
    if span_id == Some(0) {
        d.error(
            "zero-span-id",
            Some(36),
            format!(
                "the {span_name} is all zeros, which is forbidden: receivers start a new trace"
            ),
        );
    }
    let flag_bits = hex::lower_field(d, flags, 53, "trace-flags", &[2]);
    d.trace_id = trace_id;
    d.span_id = span_id.and_then(|s| u64::try_from(s).ok());
    if let Some(f) = flag_bits.and_then(|f| u8::try_from(f).ok()) {
        flag_semantics(d, f, opts.level);
    }
    if let Some(id) = trace_id
        && id != 0
        && id >> 64 == 0
    {
        d.warn(
            "trace-id-64-bit",
            Some(3),
            "the upper 64 bits of the trace-id are zero: it was probably padded from a 64-bit \
             B3, Jaeger or Datadog id, and systems that keep 128 bits may not join it"
                .to_string(),
        );
    }
}

/// Splits a version-00 value into its fields, reporting wrong lengths and extra data.
fn version_00_fields<'a>(
    v: &'a str,
    d: &mut Decoded,
) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
    let rest = v.get(3..).unwrap_or_default();
    let mut parts = rest.splitn(3, '-');
    let trace = parts.next();
    let parent = parts.next();
    let Some(tail) = parts.next() else {
        d.error(
            "missing-fields",
            Some(v.len()),
            "expected 4 fields separated by `-`: version-trace-id-parent-id-trace-flags, \
             e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                .to_string(),
        );
        return (trace, parent, None);
    };
    let flags = if tail.len() > 2 && v.len() > 55 {
        let flags_col = v.len() - tail.len();
        d.error(
            "extra-data",
            Some(flags_col + 2),
            format!(
                "a version-00 value ends after the 2 flag digits, but {} more follow: receivers \
                 ignore the whole header",
                hex::characters(tail.len() - 2)
            ),
        );
        tail.get(..2).unwrap_or(tail)
    } else {
        tail
    };
    if trace.is_some_and(|t| t.len() != 32) || parent.is_some_and(|p| p.len() != 16) {
        d.error(
            "wrong-length",
            Some(3),
            format!(
                "a version-00 value is exactly 55 characters: 00-<32 hex>-<16 hex>-<2 hex>; this \
                 one has fields of {} and {} characters",
                trace.map_or(0, str::len),
                parent.map_or(0, str::len)
            ),
        );
        return (None, None, None);
    }
    (trace, parent, Some(flags))
}

/// The fields of a future version at their version-00 positions; the rest is ignored.
fn future_version_fields<'a>(
    v: &'a str,
    d: &mut Decoded,
    version: u128,
) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
    if v.len() < 55 {
        d.error(
            "too-short",
            Some(v.len()),
            format!(
                "a traceparent of version {version:02x} must still be at least 55 characters \
                 with the version-00 fields first; this one has {}",
                v.len()
            ),
        );
        return (None, None, None);
    }
    let b = v.as_bytes();
    let dash_at = |i: usize| b.get(i) == Some(&b'-');
    if !dash_at(35) || !dash_at(52) || !(b.len() == 55 || dash_at(55)) {
        let col = [35, 52, 55]
            .into_iter()
            .find(|&i| !dash_at(i))
            .unwrap_or(35);
        d.error(
            "missing-fields",
            Some(col),
            format!(
                "expected `-` at column {} : a version {version:02x} value starts with the \
                 version-00 fields (2-32-16-2 characters separated by `-`)",
                col + 1
            ),
        );
        return (None, None, None);
    }
    if version != 0xff {
        d.warn(
            "future-version",
            Some(0),
            format!(
                "version {version:02x} is newer than 00: receivers read only the version-00 \
                 fields, ignore the rest and forward version 00"
            ),
        );
    }
    (v.get(3..35), v.get(36..52), v.get(53..55))
}

fn flag_semantics(d: &mut Decoded, f: u8, level: Level) {
    d.flags = Some(f);
    d.sampled = Some(f & 0x01 != 0);
    let known = match level {
        Level::One => 0x01,
        Level::Two => {
            d.random = Some(f & 0x02 != 0);
            0x03
        }
    };
    if f & !known != 0 {
        d.warn(
            "reserved-flags",
            Some(53),
            format!(
                "trace-flags {f:02x} set reserved bits ({:02x}) that senders MUST leave zero; \
                 receivers may drop them",
                f & !known
            ),
        );
    }
}

/// The Level 3 `server-timing: trace;desc=<traceparent>` metric.
pub(crate) fn server_timing(v: &str, d: &mut Decoded, opts: &Options) {
    let mut off = 0;
    for metric in v.split(',') {
        let start = off;
        off += metric.len() + 1;
        let mut params = metric.split(';');
        let name = params.next().unwrap_or_default();
        if !name.trim_matches([' ', '\t']).eq_ignore_ascii_case("trace") {
            continue;
        }
        let mut param_off = start + name.len() + 1;
        for param in params {
            let p_start = param_off;
            param_off += param.len() + 1;
            let lead = param.len() - param.trim_start_matches([' ', '\t']).len();
            let Some((k, val)) = param.trim_matches([' ', '\t']).split_once('=') else {
                continue;
            };
            if !k.trim_end_matches([' ', '\t']).eq_ignore_ascii_case("desc") {
                continue;
            }
            let val_start = p_start + lead + k.len() + 1;
            let unquoted = val.strip_prefix('"').and_then(|s| s.strip_suffix('"'));
            let (val, col) = match unquoted {
                Some(inner) => (inner, val_start + 1),
                None => (val, val_start),
            };
            let mut sub = Decoded::new(Kind::ServerTiming);
            traceparent(val, &mut sub, opts);
            sub.shift_columns(col);
            sub.assumed = d.assumed;
            *d = sub;
            return;
        }
        d.error(
            "no-trace-desc",
            Some(start),
            "the `trace` metric has no `desc=` parameter; expected trace;desc=00-<trace-id>-<span-id>-<flags>"
                .to_string(),
        );
        return;
    }
    d.error(
        "no-trace-metric",
        None,
        "server-timing has no `trace` metric; expected trace;desc=00-<trace-id>-<span-id>-<flags>"
            .to_string(),
    );
}
