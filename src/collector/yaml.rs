//! A YAML document as a tree whose every key and value knows its line, so findings can point at it.
//!
//! The tree is built in one pass over the events of the YAML parser serde-saphyr itself reads
//! with (granit-parser), so every value reads as it did through serde-saphyr.

mod build;
mod scalar;

use std::fmt;

/// A YAML value with its 1-based line.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: u32,
    pub value: Value,
}

/// Scalar and key text: most are a few bytes and sit inline, with no allocation of their own.
pub type Text = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// Any scalar other than null, as written (numbers and booleans included).
    Scalar(Text),
    Seq(Vec<Node>),
    /// Entries in document order; each key keeps its own line.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub line: u32,
    pub text: Text,
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
    Ok(build::document(text)?.unwrap_or(Node {
        line: 1,
        value: Value::Null,
    }))
}

/// The first line of a message, without the `error: line L column C: ` prefix the location
/// fields already carry.
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

#[cfg(test)]
mod tests;
