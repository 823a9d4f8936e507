//! W3C `tracestate`: list-members and the Level 1 / Level 2 key grammars.

use crate::hex::char_at;
use crate::{Decoded, Details, Level, Member, Options};

/// The most tracestate list-members a receiver must keep.
const MAX_TRACESTATE_MEMBERS: usize = 32;
/// The combined tracestate length vendors SHOULD propagate.
const TRACESTATE_PROPAGATED: usize = 512;

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
