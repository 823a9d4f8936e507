//! What a scalar's text means: null, or the text as read, with YAML numbers and booleans written
//! the way serde-saphyr's typed reading printed them (`0x10` is `16`, `yes` is `true`).
//!
//! Text that may be a number or a boolean, and scalars with a core-schema tag (`!!int`,
//! `!!binary`...), are handed to serde-saphyr alone, so they read exactly as they always did;
//! everything else (most scalars) is taken as it is.

use std::fmt;

use granit_parser::{ScalarStyle, Span, Tag};
use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::Value;

const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

/// The value of a scalar; `Err` holds the message of a scalar its tag cannot read.
pub(super) fn resolve(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    span: &Span,
    source: &str,
) -> Result<Value, String> {
    let Some(tag) = tag else {
        return untagged(text, style);
    };
    match tag.suffix_in_namespace(CORE_SCHEMA).as_deref() {
        Some("str") => Ok(Value::Scalar(text.into())),
        Some("null") => Ok(Value::Null),
        Some(_) => {
            let start = span.tag_span().and_then(|t| t.byte_range());
            let end = span.byte_range();
            let written = start
                .zip(end)
                .and_then(|(start, end)| source.get(start.start..end.end));
            match written {
                Some(written) => typed(written),
                None => untagged(text, style),
            }
        }
        // `!` alone keeps the text; a custom tag (`!Ref`) reads as if it were not there.
        None if tag.original() == "!" => Ok(Value::Scalar(text.into())),
        None => untagged(text, style),
    }
}

fn untagged(text: &str, style: ScalarStyle) -> Result<Value, String> {
    if style != ScalarStyle::Plain {
        return Ok(Value::Scalar(text.into()));
    }
    if text.is_empty() || text == "~" || text.eq_ignore_ascii_case("null") {
        return Ok(Value::Null);
    }
    if may_be_typed(text) {
        typed(text)
    } else {
        Ok(Value::Scalar(text.into()))
    }
}

/// Whether plain `text` may read as a boolean or a number (a short decimal without a leading zero
/// reads as itself).
fn may_be_typed(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes.first() {
        Some(b'0'..=b'9') => {
            let plain_decimal = bytes.len() <= 18
                && (bytes.len() == 1 || bytes[0] != b'0')
                && bytes.iter().all(u8::is_ascii_digit);
            !plain_decimal
        }
        Some(b'+' | b'-' | b'.') => true,
        _ => {
            bytes.len() <= 5
                && ["y", "n", "yes", "no", "true", "false", "on", "off"]
                    .iter()
                    .any(|word| text.eq_ignore_ascii_case(word))
        }
    }
}

/// Reads `written` (a scalar, maybe with its tag) as serde-saphyr does.
fn typed(written: &str) -> Result<Value, String> {
    match serde_saphyr::from_str::<Typed>(written) {
        Ok(Typed(value)) => Ok(value),
        Err(e) => Err(super::first_line(&e.to_string())),
    }
}

/// One scalar as serde-saphyr's untyped reading hands it over.
struct Typed(Value);

impl<'de> Deserialize<'de> for Typed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Typed, D::Error> {
        d.deserialize_any(TypedVisitor).map(Typed)
    }
}

struct TypedVisitor;

impl<'de> Visitor<'de> for TypedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML scalar")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Scalar(compact_str::format_compact!("{v}")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Scalar(compact_str::format_compact!("{v}")))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Scalar(compact_str::format_compact!("{v}")))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Scalar(compact_str::format_compact!("{v}")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Scalar(compact_str::format_compact!("{v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Scalar(compact_str::format_compact!("{v}")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Scalar(compact_str::format_compact!("{v}")))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Scalar(v.into()))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Scalar(String::from_utf8_lossy(v).into()))
    }
}
