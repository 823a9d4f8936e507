//! A YAML document as a tree whose every key and value knows its line, so findings can point at it.
//!
//! serde-saphyr reports positions through its `Spanned<T>` wrapper; this module deserializes any
//! document into [`Node`]s wrapped that way.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A YAML value with its 1-based line.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: u32,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// Any scalar other than null, as written (numbers and booleans included).
    Scalar(String),
    Seq(Vec<Node>),
    /// Entries in document order; each key keeps its own line.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub line: u32,
    pub text: String,
}

impl Node {
    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, n)| n)
    }

    /// The entry `key` of a mapping with the key's own line.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.text == key)
                .map(|(k, n)| (k, n)),
            _ => None,
        }
    }

    /// The entries of a mapping; nothing for any other value.
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }
}

/// Where and why a document failed to parse.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Parses one YAML document. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    match serde_saphyr::from_str::<Option<Spanned<Value>>>(text) {
        Ok(Some(root)) => Ok(node(root)),
        Ok(None) => Ok(Node {
            line: 1,
            value: Value::Null,
        }),
        Err(e) => {
            let location = e.location();
            Err(SyntaxError {
                line: location.map(|l| l.line()),
                column: location.map(|l| l.column()),
                message: first_line(&e.to_string()),
            })
        }
    }
}

/// The first line of saphyr's message, without the `error: line L column C: ` prefix the
/// location fields already carry.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line.split_once(": ") {
        Some((place, rest)) if place.starts_with("line ") && place.contains("column") => {
            rest.to_string()
        }
        _ => line.to_string(),
    }
}

fn node(spanned: Spanned<Value>) -> Node {
    Node {
        line: u32::try_from(spanned.referenced.line()).unwrap_or(u32::MAX),
        value: spanned.value,
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Scalar(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Scalar(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Scalar(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(node(item));
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            let key = node(key);
            let text = match key.value {
                Value::Scalar(s) => s,
                Value::Null => String::new(),
                Value::Seq(_) | Value::Map(_) => "<complex key>".to_string(),
            };
            entries.push((
                Key {
                    line: key.line,
                    text,
                },
                node(value),
            ));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_know_their_lines() {
        let doc = parse("receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\nexporters:\n  debug: {}\n").unwrap();
        let (k, receivers) = doc.entry("receivers").unwrap();
        assert_eq!(k.line, 1);
        let (otlp_key, otlp) = receivers.entry("otlp").unwrap();
        assert_eq!(otlp_key.line, 2);
        let grpc = otlp.get("protocols").unwrap().get("grpc").unwrap();
        let (ek, ev) = grpc.entry("endpoint").unwrap();
        assert_eq!((ek.line, ev.as_str()), (5, Some("0.0.0.0:4317")));
        assert_eq!(doc.entry("exporters").unwrap().0.line, 6);
        assert!(doc.get("exporters").unwrap().get("debug").is_some());
    }

    #[test]
    fn null_values_and_empty_documents() {
        let doc = parse("a:\nb: ~\n").unwrap();
        assert!(doc.get("a").unwrap().is_null());
        assert!(doc.get("b").unwrap().is_null());
        assert!(parse("").unwrap().is_null());
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = parse("a:\n  b: [1, 2\nc: d\n").unwrap_err();
        assert!(err.line.is_some(), "{err:?}");
        assert!(err.column.is_some());
    }
}
