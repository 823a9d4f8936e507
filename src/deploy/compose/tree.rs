//! A Compose file as a tree whose every key and value knows its file and line, with every string
//! value interpolated as Compose does it (keys are not interpolated).

use crate::collector::yaml;

use super::template::{self, TemplateError};

/// A place in the input: the index of the file in [`super::Project::files`] and a 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At {
    pub file: usize,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: At,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A scalar after interpolation.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    /// Variables `$VAR`/`${VAR}` named that the project environment does not set.
    pub unset: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub at: At,
    pub text: String,
}

/// Compose's merge tags, which the YAML parser drops: `!reset` removes what earlier files set
/// (and the value it tags), `!override` replaces it instead of merging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Reset,
    Override,
}

/// The lines of `text` whose mapping value is tagged `!reset` or `!override` (`key: !reset …`).
pub fn merge_tags(text: &str) -> Vec<(u32, Tag)> {
    let mut tags = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some((_, value)) = line.split_once(": ") else {
            continue;
        };
        let value = value.trim_start();
        let tag = if value.starts_with("!reset") {
            Tag::Reset
        } else if value.starts_with("!override") {
            Tag::Override
        } else {
            continue;
        };
        tags.push((u32::try_from(i + 1).unwrap_or(u32::MAX), tag));
    }
    tags
}

/// A template error and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct InterpolationError {
    pub at: At,
    pub error: TemplateError,
}

impl Node {
    /// Converts a parsed YAML document of file number `file`, interpolating with `lookup`.
    pub fn interpolated(
        doc: yaml::Node,
        file: usize,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Node, InterpolationError> {
        let at = At {
            file,
            line: doc.line,
        };
        let value = match doc.value {
            yaml::Value::Null => Value::Null,
            yaml::Value::Scalar(text) => {
                let s = template::substitute(&text, lookup)
                    .map_err(|error| InterpolationError { at, error })?;
                Value::Scalar(Scalar {
                    text: s.text,
                    unset: s.unset,
                })
            }
            yaml::Value::Seq(items) => Value::Seq(
                items
                    .into_iter()
                    .map(|n| Node::interpolated(n, file, lookup))
                    .collect::<Result<_, _>>()?,
            ),
            yaml::Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, n)| {
                        let key = Key {
                            at: At { file, line: k.line },
                            text: k.text.into(),
                        };
                        Ok((key, Node::interpolated(n, file, lookup)?))
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        Ok(Node { at, value })
    }

    /// The entry `key` of a mapping, with the key.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.entries()
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, n)| (k, n))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, n)| n)
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        self.scalar().map(|s| s.text.as_str())
    }

    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Scalar(_) => "a scalar",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_interpolated_and_keys_are_not() {
        let doc = yaml::parse("services:\n  ${NAME}:\n    image: app:${TAG:-1}\n    x: $MISSING\n")
            .unwrap();
        let lookup = |k: &str| (k == "NAME").then(|| "set".to_string());
        let node = Node::interpolated(doc, 3, &lookup).unwrap();
        let (key, svc) = &node.get("services").unwrap().entries()[0];
        assert_eq!(key.text, "${NAME}");
        assert_eq!(key.at, At { file: 3, line: 2 });
        assert_eq!(svc.get("image").unwrap().as_str(), Some("app:1"));
        assert_eq!(svc.get("x").unwrap().scalar().unwrap().unset, ["MISSING"]);
    }

    #[test]
    fn merge_tags_are_found_by_line() {
        let text = "services:\n  app:\n    ports: !reset []\n    environment: !override\n      A: 1\n    image: \"x: !reset\"\n";
        assert_eq!(merge_tags(text), [(3, Tag::Reset), (4, Tag::Override)]);
    }

    #[test]
    fn errors_know_where_they_are() {
        let doc = yaml::parse("a:\n  b: ${X:?needed}\n").unwrap();
        let e = Node::interpolated(doc, 0, &|_| None).unwrap_err();
        assert_eq!(e.at.line, 2);
    }
}
