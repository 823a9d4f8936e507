//! Several config files merged as the collector merges its `--config` files: later files override
//! earlier ones key by key (maps merged recursively, lists and scalars replaced). Each file's lines
//! are kept apart by giving it its own range of line numbers, mapped back for findings.

use super::model::{CollectorConfig, Part};
use super::yaml::{self, Node, SyntaxError, Value};

/// One config file: its name, the line of the input its text starts on, and the text.
pub struct Layer<'a> {
    pub file: &'a str,
    pub first_line: u32,
    pub text: &'a str,
}

/// The config the collector runs with when started with `layers` in `--config` order; the first
/// layer that does not parse, with its error.
pub fn merged(layers: &[Layer]) -> Result<CollectorConfig, (usize, SyntaxError)> {
    let mut root: Option<Node> = None;
    let mut parts = Vec::new();
    let mut replaced = Vec::new();
    let mut texts = String::new();
    let mut start = 0u32;
    for (index, layer) in layers.iter().enumerate() {
        let pad = "\n".repeat(layer.first_line.saturating_sub(1) as usize);
        let padded = format!("{pad}{}", layer.text);
        let mut node = yaml::parse(&padded).map_err(|e| (index, e))?;
        shift(&mut node, start);
        parts.push(Part {
            start,
            file: layer.file.to_string(),
        });
        // Env references are found per line: line N of `texts` is line N of the merged tree.
        texts.push_str(&padded);
        if !texts.ends_with('\n') {
            texts.push('\n');
        }
        root = Some(match root {
            None => node,
            // An empty file (or one of only comments) is an empty config: it changes nothing.
            Some(base) if node.is_null() => base,
            Some(mut base) => {
                merge(&mut base, node, &mut replaced);
                base
            }
        });
        let lines = u32::try_from(padded.lines().count()).unwrap_or(u32::MAX);
        start = start.saturating_add(lines.max(1));
    }
    let root = root.unwrap_or(Node {
        line: 1,
        value: Value::Null,
    });
    let file = layers.first().map_or("", |l| l.file);
    let mut config = CollectorConfig::from_yaml(file, &root, &texts);
    config.env_refs.retain(|r| {
        !replaced
            .iter()
            .any(|(lo, hi)| (*lo..=*hi).contains(&r.line))
    });
    if layers.len() > 1 {
        config.parts = parts;
    }
    Ok(config)
}

/// Merges `over` into `base`: maps key by key, recursively; anything else is replaced. The line
/// ranges of what was replaced are added to `replaced`.
fn merge(base: &mut Node, over: Node, replaced: &mut Vec<(u32, u32)>) {
    match (&mut base.value, over.value) {
        (Value::Map(entries), Value::Map(incoming)) => {
            for (key, value) in incoming {
                match entries.iter_mut().find(|(k, _)| k.text == key.text) {
                    Some((_, existing)) => merge(existing, value, replaced),
                    None => entries.push((key, value)),
                }
            }
        }
        (_, value) => {
            replaced.push(span(base));
            *base = Node {
                line: over.line,
                value,
            };
        }
    }
}

/// The first and last line a node's subtree is on.
fn span(node: &Node) -> (u32, u32) {
    let mut range = (node.line, node.line);
    let mut widen = |n: &Node| {
        let (lo, hi) = span(n);
        range = (range.0.min(lo), range.1.max(hi));
    };
    match &node.value {
        Value::Seq(items) => items.iter().for_each(&mut widen),
        Value::Map(entries) => entries.iter().for_each(|(_, n)| widen(n)),
        Value::Null | Value::Scalar(_) => {}
    }
    range
}

/// Moves every line of `node` by `by`.
fn shift(node: &mut Node, by: u32) {
    node.line = node.line.saturating_add(by);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, n)| {
            k.line = k.line.saturating_add(by);
            shift(n, by);
        }),
        Value::Null | Value::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests;
