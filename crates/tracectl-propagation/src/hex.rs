//! Hex and decimal fields shared by the formats.

use crate::Decoded;

/// Marks in [`DIGITS`]: not a hex digit at all, or an uppercase one.
const NOT_HEX: u8 = 0x80;
const UPPER: u8 = 0x40;

/// Each byte's hex value, or'ed with the marks. A table instead of branches: ids are random, so
/// digit-or-letter branches mispredict half the time and dominate decoding.
static DIGITS: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = (10 + i as u8) | UPPER;
        i += 1;
    }
    t
};

/// The value of up to 32 digits, read as hex of either case, and the marks of all of them.
fn scan(s: &str) -> (u128, u8) {
    let mut v: u128 = 0;
    let mut marks = 0;
    for c in s.bytes() {
        let d = DIGITS[usize::from(c)];
        marks |= d;
        v = (v << 4) | u128::from(d & 0x0f);
    }
    (v, marks & (NOT_HEX | UPPER))
}

/// Whether every byte is a lowercase hex digit, without a branch per byte.
pub(crate) fn all_lower(s: &[u8]) -> bool {
    s.iter().fold(0, |marks, &c| marks | DIGITS[usize::from(c)]) & (NOT_HEX | UPPER) == 0
}

/// The value of 1 to 32 hex digits of either case.
pub(crate) fn parse(s: &str) -> Option<u128> {
    if s.is_empty() || s.len() > 32 {
        return None;
    }
    let (v, marks) = scan(s);
    (marks & NOT_HEX == 0).then_some(v)
}

/// The character starting at byte `i` of `s`, for messages.
pub(crate) fn char_at(s: &str, i: usize) -> char {
    s.get(i..)
        .and_then(|r| r.chars().next())
        .unwrap_or('\u{FFFD}')
}

/// "1 character", "3 characters".
pub(crate) fn characters(n: usize) -> String {
    if n == 1 {
        "1 character".to_string()
    } else {
        format!("{n} characters")
    }
}

/// How a field's expected lengths read in a sentence: "16 or 32".
fn lengths(lens: &[usize]) -> String {
    let parts: Vec<String> = lens.iter().map(usize::to_string).collect();
    parts.join(" or ")
}

/// Checks a field of lowercase hex digits whose length must be one of `lens`, starting at column
/// `col` of the value. Reports what is wrong and returns its value when it is hex of either case
/// (so a rejected id can still be shown).
pub(crate) fn lower_field(
    d: &mut Decoded,
    s: &str,
    col: usize,
    what: &str,
    lens: &[usize],
) -> Option<u128> {
    if !lens.contains(&s.len()) {
        d.error(
            "wrong-length",
            Some(col),
            format!(
                "the {what} has {}; expected {} lowercase hex digits",
                characters(s.len()),
                lengths(lens)
            ),
        );
        return parse(s);
    }
    let (v, marks) = scan(s);
    if marks == 0 {
        return Some(v);
    }
    check_lower(d, s, col, what);
    (marks & NOT_HEX == 0).then_some(v)
}

/// Reports the first character of `s` that is not lowercase hex.
pub(crate) fn check_lower(d: &mut Decoded, s: &str, col: usize, what: &str) {
    let Some(i) = s
        .bytes()
        .position(|c| DIGITS[usize::from(c)] & (NOT_HEX | UPPER) != 0)
    else {
        return;
    };
    let c = char_at(s, i);
    if c.is_ascii_hexdigit() {
        d.error(
            "uppercase-hex",
            Some(col + i),
            format!(
                "the {what} contains the uppercase hex digit `{c}`; only lowercase hex is allowed \
                 and receivers ignore the header: send `{}`",
                s.to_ascii_lowercase()
            ),
        );
    } else {
        d.error(
            "not-hex",
            Some(col + i),
            format!(
                "the {what} contains `{c}`, which is not a hex digit; expected 0-9 and a-f only"
            ),
        );
    }
}

/// An unsigned decimal that fits in a u64, with no sign and no leading `+`.
pub(crate) fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_either_case_and_rejects_the_rest() {
        assert_eq!(parse("00f067aa0ba902b7"), Some(0x00f0_67aa_0ba9_02b7));
        assert_eq!(parse("ABC"), Some(0xabc));
        assert_eq!(parse(""), None);
        assert_eq!(parse("xyz"), None);
        assert_eq!(parse(&"1".repeat(33)), None);
        assert_eq!(parse(&"f".repeat(32)), Some(u128::MAX));
    }

    #[test]
    fn decimal_ids_fit_in_64_bits() {
        assert_eq!(parse_u64("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64("18446744073709551616"), None);
        assert_eq!(parse_u64("+1"), None);
        assert_eq!(parse_u64(""), None);
    }
}
