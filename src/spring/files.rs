//! Spring Boot `application.yaml` / `.yml` / `.properties` text as flat `key = value` entries,
//! each at its line: YAML mappings joined with `.`, list items as `key[0]`, every document of a
//! multi-document YAML file in order. Documents (or `#---` sections) activated only for a
//! profile (`spring.config.activate.on-profile`) are left out: tracectl does not know which
//! profiles are active.

use crate::collector::yaml::{self, Node, Value};
use crate::settings::java::properties;

/// One flattened entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub line: u32,
}

/// Why a file could not be read.
pub type Error = String;

const PROFILE_KEYS: &[&str] = &["spring.config.activate.on-profile", "spring.profiles"];

/// The entries of a file named `name` (YAML unless it ends in `.properties`).
pub fn parse(name: &str, text: &str) -> Result<Vec<Entry>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let documents = if name.ends_with(".properties") {
        properties_documents(text)
    } else {
        yaml_documents(text)?
    };
    Ok(documents
        .into_iter()
        .filter(|d| !d.iter().any(|e| PROFILE_KEYS.contains(&e.key.as_str())))
        .flatten()
        .collect())
}

/// Each `.properties` section (separated by `#---` or `!---` lines).
fn properties_documents(text: &str) -> Vec<Vec<Entry>> {
    let mut documents = Vec::new();
    let mut start = 0u32;
    let mut section = String::new();
    let entries_of = |section: &str, start: u32| {
        properties::parse(section)
            .into_iter()
            .map(|e| Entry {
                key: e.key,
                value: e.value,
                line: start + e.line,
            })
            .collect::<Vec<_>>()
    };
    for (index, line) in text.lines().enumerate() {
        if matches!(line.trim_end(), "#---" | "!---") {
            documents.push(entries_of(&section, start));
            section.clear();
            start = u32::try_from(index + 1).unwrap_or(u32::MAX);
        } else {
            section.push_str(line);
            section.push('\n');
        }
    }
    documents.push(entries_of(&section, start));
    documents
}

/// Each YAML document (separated by `---` or `...` lines), flattened.
fn yaml_documents(text: &str) -> Result<Vec<Vec<Entry>>, Error> {
    yaml::documents(text)
        .map(|d| flatten_text(d.text, d.lines_before))
        .collect()
}

fn flatten_text(doc: &str, offset: u32) -> Result<Vec<Entry>, Error> {
    let root = yaml::parse(doc).map_err(|e| match e.line {
        Some(line) => format!("line {}: {}", u64::from(offset) + line, e.message),
        None => e.message,
    })?;
    let mut entries = Vec::new();
    flatten(&root, "", offset, &mut entries);
    Ok(entries)
}

fn flatten(node: &Node, prefix: &str, offset: u32, out: &mut Vec<Entry>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                let key_text = key.text.trim_start_matches('[').trim_end_matches(']');
                flatten(value, &join(key_text), offset, out);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(item, &format!("{prefix}[{i}]"), offset, out);
            }
        }
        Value::Scalar(s) => out.push(Entry {
            key: prefix.to_string(),
            value: s.to_string(),
            line: offset + node.line,
        }),
        Value::Null => out.push(Entry {
            key: prefix.to_string(),
            value: String::new(),
            line: offset + node.line,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(name: &str, text: &str) -> Vec<(String, String, u32)> {
        parse(name, text)
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.value, e.line))
            .collect()
    }

    #[test]
    fn yaml_is_flattened_with_lines_and_profile_documents_are_left_out() {
        let text = "spring:\n  application:\n    name: shop\nmanagement:\n  otlp.tracing:\n    endpoint: http://c:4318/v1/traces\n  tracing:\n    sampling:\n      probability: 1.0\n---\nspring.config.activate.on-profile: dev\nmanagement.otlp.tracing.endpoint: http://dev:4318\n---\nlist:\n  - a\n";
        assert_eq!(
            pairs("application.yaml", text),
            [
                ("spring.application.name".into(), "shop".into(), 3),
                (
                    "management.otlp.tracing.endpoint".into(),
                    "http://c:4318/v1/traces".into(),
                    6
                ),
                (
                    "management.tracing.sampling.probability".into(),
                    "1".into(),
                    9
                ),
                ("list[0]".into(), "a".into(), 15),
            ]
        );
    }

    #[test]
    fn a_document_end_marker_separates_documents_too() {
        let text = "management.otlp.tracing.endpoint: http://c:4318\n...\nspring.config.activate.on-profile: dev\nmanagement.otlp.tracing.endpoint: http://dev:4318\n...\nspring.application.name: shop\n";
        assert_eq!(
            pairs("application.yml", text),
            [
                (
                    "management.otlp.tracing.endpoint".into(),
                    "http://c:4318".into(),
                    1
                ),
                ("spring.application.name".into(), "shop".into(), 6),
            ]
        );
    }

    #[test]
    fn properties_sections_keep_their_lines() {
        let text = "management.otlp.tracing.endpoint=http://c:4318\n#---\nspring.config.activate.on-profile=prod\nmanagement.otlp.tracing.endpoint=http://prod:4318\n#---\nmanagement.tracing.sampling.probability=0\n";
        assert_eq!(
            pairs("application.properties", text),
            [
                (
                    "management.otlp.tracing.endpoint".into(),
                    "http://c:4318".into(),
                    1
                ),
                (
                    "management.tracing.sampling.probability".into(),
                    "0".into(),
                    6
                ),
            ]
        );
    }

    #[test]
    fn a_yaml_syntax_error_names_its_line() {
        let err = parse("a.yml", "a: 1\n---\nb: [unclosed\n").unwrap_err();
        assert!(err.starts_with("line 3"), "{err}");
    }
}

#[cfg(test)]
mod hostile {
    use super::parse;

    #[test]
    fn odd_input_gives_entries_or_an_error_never_a_panic() {
        for text in [
            "",
            "---",
            "---\n---\n",
            "a: &x [*x]\n",
            "? [a, b]\n: c\n",
            "a:\n  - b:\n      - c: [1, {d: e}]\n",
            "\u{feff}a: 1\n",
            "#---\n#---\n",
            "a=b\\\n",
            "\\u",
            "[x.y]: 1\n",
        ] {
            let _ = parse("application.yaml", text);
            let _ = parse("application.properties", text);
        }
    }
}
