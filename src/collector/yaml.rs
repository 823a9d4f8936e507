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

/// One document of a YAML stream: its text and the number of lines before it in the stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Document<'a> {
    pub text: &'a str,
    pub lines_before: u32,
}

/// The documents of a stream, split at `---` and `...` lines (a marker may carry a comment or
/// content after a space). Block scalars are indented, so a marker at column 0 always
/// separates documents. Documents of nothing but whitespace are left out.
pub fn documents(text: &str) -> impl Iterator<Item = Document<'_>> {
    let mut lines = text.split_inclusive('\n').enumerate();
    let (mut start, mut pos, mut lines_before, mut done) = (0usize, 0usize, 0u32, false);
    std::iter::from_fn(move || {
        while !done {
            let doc = match lines.next() {
                Some((index, line)) => {
                    let end = pos;
                    pos += line.len();
                    if !is_marker(line.trim_end()) {
                        continue;
                    }
                    let doc = Document {
                        text: &text[start..end],
                        lines_before,
                    };
                    start = pos;
                    lines_before = u32::try_from(index + 1).unwrap_or(u32::MAX);
                    doc
                }
                None => {
                    done = true;
                    Document {
                        text: &text[start..],
                        lines_before,
                    }
                }
            };
            if !doc.text.trim().is_empty() {
                return Some(doc);
            }
        }
        None
    })
}

fn is_marker(line: &str) -> bool {
    let rest = line
        .strip_prefix("---")
        .or_else(|| line.strip_prefix("..."));
    rest.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '#']))
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
