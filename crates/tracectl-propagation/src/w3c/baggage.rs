//! W3C Baggage: `key=value;property` members with percent-encoded values.

use super::{is_tchar, percent_decode};
use crate::hex::char_at;
use crate::{BaggageMember, Decoded, Details};

/// Baggage limits every implementation MUST propagate.
const MAX_BAGGAGE_MEMBERS: usize = 64;
const MAX_BAGGAGE_BYTES: usize = 8192;

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
