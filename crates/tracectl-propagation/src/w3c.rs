//! W3C Trace Context (`traceparent`, `traceresponse`, `tracestate`, the Level 3 `server-timing`
//! metric) and W3C Baggage.

use crate::hex::{self, char_at};
use crate::{BaggageMember, Decoded, Details, Kind, Level, Member, Options};

/// The most tracestate list-members a receiver must keep.
const MAX_TRACESTATE_MEMBERS: usize = 32;
/// The combined tracestate length vendors SHOULD propagate.
const TRACESTATE_PROPAGATED: usize = 512;
/// Baggage limits every implementation MUST propagate.
const MAX_BAGGAGE_MEMBERS: usize = 64;
const MAX_BAGGAGE_BYTES: usize = 8192;

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

/// `tracestate`: at most 32 `key=value` list-members; keys by the given level's grammar.
pub(crate) fn tracestate(v: &str, d: &mut Decoded, opts: &Options) {
    let mut members: Vec<Member> = Vec::new();
    let mut count = 0;
    let mut off = 0;
    for raw in v.split(',') {
        let start = off;
        off += raw.len() + 1;
        let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let m = raw.trim_matches([' ', '\t']);
        if m.is_empty() {
            continue;
        }
        let col = start + lead;
        count += 1;
        if count == MAX_TRACESTATE_MEMBERS + 1 {
            d.error(
                "too-many-members",
                Some(col),
                format!(
                    "tracestate holds more than {MAX_TRACESTATE_MEMBERS} list-members: receivers \
                     discard it; drop the right-most members"
                ),
            );
        }
        let Some((key, value)) = m.split_once('=') else {
            d.error(
                "missing-equals",
                Some(col),
                format!("list-member `{m}` has no `=`; expected key=value"),
            );
            continue;
        };
        if let Some((i, why)) = tracestate_key_error(key, opts.level) {
            d.error(
                "invalid-key",
                Some(col + i),
                format!("tracestate key `{key}` is invalid: {why}; receivers discard the whole tracestate"),
            );
        }
        if let Some((i, why)) = tracestate_value_error(value) {
            d.error(
                "invalid-value",
                Some(col + key.len() + 1 + i),
                format!("the value of tracestate key `{key}` is invalid: {why}; receivers discard the whole tracestate"),
            );
        }
        if members.iter().any(|x| x.key == key) {
            let msg =
                format!("tracestate key `{key}` appears twice; producers MUST NOT send duplicates");
            match opts.level {
                Level::One => d.error(
                    "duplicate-key",
                    Some(col),
                    format!("{msg}, and Level 1 receivers discard the whole tracestate"),
                ),
                Level::Two => d.warn(
                    "duplicate-key",
                    Some(col),
                    format!("{msg}; receivers may drop one of them"),
                ),
            }
        }
        members.push(Member {
            key: key.to_string(),
            value: value.to_string(),
        });
    }
    if count == 0 {
        d.warn(
            "empty-tracestate",
            None,
            "tracestate is empty: receivers accept it, but senders SHOULD NOT send an empty header"
                .to_string(),
        );
    }
    if v.len() > TRACESTATE_PROPAGATED {
        d.warn(
            "tracestate-too-long",
            Some(TRACESTATE_PROPAGATED),
            format!(
                "tracestate is {} characters; vendors need propagate only {TRACESTATE_PROPAGATED}, \
                 and truncation drops whole members (first those over 128 characters)",
                v.len()
            ),
        );
    }
    d.details = Details::TraceState(members);
}

fn is_lcalpha(c: u8) -> bool {
    c.is_ascii_lowercase()
}

fn is_simple_keychar(c: u8) -> bool {
    is_lcalpha(c) || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'*' | b'/')
}

/// Where and why a tracestate key breaks the level's grammar.
fn tracestate_key_error(key: &str, level: Level) -> Option<(usize, String)> {
    let b = key.as_bytes();
    let Some(&first) = b.first() else {
        return Some((0, "it is empty".to_string()));
    };
    if b.len() > 256 {
        return Some((
            256,
            format!("it has {} characters; the limit is 256", b.len()),
        ));
    }
    let bad_char = |from: usize, s: &[u8], ok: fn(u8) -> bool| {
        s.iter().position(|&c| !ok(c)).map(|i| {
            (
                from + i,
                format!(
                    "`{}` is not allowed (lowercase letters, digits, _ - * / only)",
                    char_at(key, from + i)
                ),
            )
        })
    };
    match level {
        Level::Two => {
            if !(is_lcalpha(first) || first.is_ascii_digit()) {
                return Some((
                    0,
                    "it must start with a lowercase letter or a digit".to_string(),
                ));
            }
            bad_char(0, b, |c| is_simple_keychar(c) || c == b'@')
        }
        Level::One => match key.split_once('@') {
            None => {
                if !is_lcalpha(first) {
                    return Some((
                        0,
                        "under Level 1 a key must start with a lowercase letter (digits are Level 2)"
                            .to_string(),
                    ));
                }
                bad_char(0, b, is_simple_keychar)
            }
            Some((tenant, system)) => {
                let sys_col = tenant.len() + 1;
                let t = tenant.as_bytes();
                let s = system.as_bytes();
                if !t
                    .first()
                    .is_some_and(|&c| is_lcalpha(c) || c.is_ascii_digit())
                {
                    return Some((
                        0,
                        "the tenant-id must start with a lowercase letter or a digit".to_string(),
                    ));
                }
                if t.len() > 241 {
                    return Some((
                        241,
                        "the tenant-id is longer than 241 characters".to_string(),
                    ));
                }
                if !s.first().is_some_and(|&c| is_lcalpha(c)) {
                    return Some((
                        sys_col,
                        "the system-id must start with a lowercase letter".to_string(),
                    ));
                }
                if s.len() > 14 {
                    return Some((
                        sys_col + 14,
                        "the system-id is longer than 14 characters".to_string(),
                    ));
                }
                bad_char(0, t, is_simple_keychar)
                    .or_else(|| bad_char(sys_col, s, is_simple_keychar))
            }
        },
    }
}

/// Where and why a tracestate value breaks the grammar.
fn tracestate_value_error(value: &str) -> Option<(usize, String)> {
    if value.is_empty() {
        return Some((
            0,
            "it is empty; a value needs at least one character".to_string(),
        ));
    }
    if value.len() > 256 {
        return Some((
            256,
            format!("it has {} characters; the limit is 256", value.len()),
        ));
    }
    value
        .bytes()
        .position(|c| !(0x20..=0x7e).contains(&c) || c == b'=' || c == b',')
        .map(|i| {
            (
                i,
                format!(
                    "`{}` is not allowed (printable ASCII except `,` and `=`)",
                    char_at(value, i).escape_debug()
                ),
            )
        })
}

/// An RFC 9110 token character (header names, baggage keys).
pub(crate) fn is_tchar(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

fn is_baggage_octet(c: u8) -> bool {
    matches!(c, 0x21 | 0x23..=0x2b | 0x2d..=0x3a | 0x3c..=0x5b | 0x5d..=0x7e)
}

/// W3C `baggage`: `key=value;property` members, percent-encoded values.
pub(crate) fn baggage(v: &str, d: &mut Decoded) {
    let mut members = Vec::new();
    let mut off = 0;
    for raw in v.split(',') {
        let start = off;
        off += raw.len() + 1;
        let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let m = raw.trim_matches([' ', '\t']);
        let col = start + lead;
        if m.is_empty() {
            d.warn(
                "empty-member",
                Some(start),
                "an empty list-member (e.g. a trailing comma) breaks the baggage grammar; some \
                 receivers drop the whole header"
                    .to_string(),
            );
            continue;
        }
        if let Some(member) = baggage_member(m, col, d) {
            members.push(member);
        }
    }
    if members.len() > MAX_BAGGAGE_MEMBERS {
        d.warn(
            "baggage-too-many-members",
            None,
            format!(
                "baggage holds {} members; receivers need keep only {MAX_BAGGAGE_MEMBERS} and may \
                 drop the rest",
                members.len()
            ),
        );
    }
    if v.len() > MAX_BAGGAGE_BYTES {
        d.warn(
            "baggage-too-long",
            Some(MAX_BAGGAGE_BYTES),
            format!(
                "baggage is {} bytes; receivers need keep only {MAX_BAGGAGE_BYTES} and may drop \
                 whole members",
                v.len()
            ),
        );
    }
    d.details = Details::Baggage(members);
}

fn baggage_member(m: &str, col: usize, d: &mut Decoded) -> Option<BaggageMember> {
    let mut parts = m.split(';');
    let kv = parts.next().unwrap_or_default();
    let Some((k, val)) = kv.split_once('=') else {
        d.error(
            "missing-equals",
            Some(col),
            format!("baggage member `{kv}` has no `=`; expected key=value"),
        );
        return None;
    };
    let key = k.trim_matches([' ', '\t']);
    if let Some(i) = token_error(key) {
        d.error(
            "invalid-key",
            Some(col + i),
            format!(
                "baggage key `{key}` is not an HTTP token: `{}` is not allowed; use letters, \
                 digits and !#$%&'*+-.^_`|~",
                char_at(key, i).escape_debug()
            ),
        );
    }
    let val_lead = val.len() - val.trim_start_matches([' ', '\t']).len();
    let value = val.trim_matches([' ', '\t']);
    let val_col = col + k.len() + 1 + val_lead;
    if let Some(i) = value.bytes().position(|c| !is_baggage_octet(c)) {
        d.error(
            "invalid-value",
            Some(val_col + i),
            format!(
                "the value of baggage key `{key}` contains `{}`, which must be percent-encoded",
                char_at(value, i).escape_debug()
            ),
        );
    }
    let decoded = match percent_decode(value) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if std::str::from_utf8(&bytes).is_err() {
                d.warn(
                    "invalid-utf8",
                    Some(val_col),
                    format!(
                        "the value of baggage key `{key}` is not UTF-8 after percent-decoding; \
                         receivers replace the bad bytes with U+FFFD"
                    ),
                );
            }
            text
        }
        Err(i) => {
            d.error(
                "bad-percent-encoding",
                Some(val_col + i),
                format!(
                    "the value of baggage key `{key}` has a `%` not followed by two hex digits; \
                     encode `%` itself as %25"
                ),
            );
            value.to_string()
        }
    };
    let mut properties = Vec::new();
    let mut p_off = col + kv.len() + 1;
    for p in parts {
        let p_col = p_off + p.len() - p.trim_start_matches([' ', '\t']).len();
        p_off += p.len() + 1;
        let p = p.trim_matches([' ', '\t']);
        let pkey = p
            .split_once('=')
            .map_or(p, |(k, _)| k)
            .trim_matches([' ', '\t']);
        if let Some(i) = token_error(pkey) {
            d.error(
                "invalid-property",
                Some(p_col + i),
                format!(
                    "baggage property `{p}` of key `{key}` does not start with an HTTP token key"
                ),
            );
        }
        properties.push(p.to_string());
    }
    Some(BaggageMember {
        key: key.to_string(),
        value: decoded,
        properties,
    })
}

/// The offset of the first character that keeps `s` from being an HTTP token.
fn token_error(s: &str) -> Option<usize> {
    if s.is_empty() {
        return Some(0);
    }
    s.bytes().position(|c| !is_tchar(c))
}

/// Percent-decodes `s`, or returns the offset of a `%` without two hex digits.
pub(crate) fn percent_decode(s: &str) -> Result<Vec<u8>, usize> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hi = b.get(i + 1).and_then(|&h| (h as char).to_digit(16));
            let lo = b.get(i + 2).and_then(|&l| (l as char).to_digit(16));
            match hi.zip(lo).and_then(|(h, l)| u8::try_from(h * 16 + l).ok()) {
                Some(byte) => out.push(byte),
                None => return Err(i),
            }
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}
