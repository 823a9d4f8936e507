//! Builds the located tree from the YAML event stream in one pass, with an explicit stack (no
//! recursion), anchors kept as finished nodes and `<<` merge keys applied when a mapping ends.

use std::collections::{HashMap, HashSet};

use granit_parser::{ErrorKind, Event, Marker, Parser, ScalarStyle, Span, Tag};

use super::scalar;
use super::{Key, Node, SyntaxError, Value};

/// The most nodes one document may hold, alias expansions included (serde-saphyr's budget, which
/// this reader replaced, allowed 250 000): a "billion laughs" document stops here.
const MAX_NODES: usize = 250_000;

/// The deepest a node may sit, alias copies included (the parser stops plain nesting at 255), so
/// that nothing walking the tree runs out of stack.
const MAX_DEPTH: usize = 1000;

/// Maps with more entries than this find duplicate keys through a set instead of a scan.
const SCAN_LIMIT: usize = 16;

/// A collection being read.
struct Frame {
    line: u32,
    at: Marker,
    anchor: usize,
    kind: Kind,
}

enum Kind {
    Seq(Vec<Node>),
    Map(MapFrame),
}

/// A plain `<<` merges; a collection as key is only `<complex key>` and never a duplicate.
#[derive(Clone, Copy, PartialEq)]
enum KeyKind {
    Text,
    Merge,
    Complex,
}

#[derive(Default)]
struct MapFrame {
    entries: Vec<(Key, Node)>,
    /// Keys seen so far, once the map is too large to scan.
    seen: Option<HashSet<super::Text>>,
    /// The key waiting for its value, where it is, and what it is.
    key: Option<(Key, Marker, KeyKind)>,
    /// The values of `<<` entries, with where they are, in document order.
    merges: Vec<(Node, Marker)>,
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    root: Option<Node>,
    /// Emptied buffers of closed collections, reused by the next ones: each collection is
    /// gathered in a buffer and kept in a vector of exactly its size.
    seqs: Vec<Vec<Node>>,
    maps: Vec<Vec<(Key, Node)>>,
}

/// Reads one document of `text`; `None` when it holds no node.
pub(super) fn document(text: &str) -> Result<Option<Node>, SyntaxError> {
    let options = granit_parser::Options::default();
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        seqs: Vec::new(),
        maps: Vec::new(),
    };
    let mut documents = 0;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let message = match e.kind() {
                ErrorKind::UnknownAnchor => {
                    "an alias (`*name`) refers to no anchor (`&name`) before it".to_string()
                }
                _ => e.info(),
            };
            error(*e.marker(), message)
        })?;
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(error(
                        span.start,
                        "the text holds more than one YAML document (a `---` line); \
                         keep one document here"
                            .to_string(),
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar::resolve(&text, style, tag.as_deref(), &span, builder.text)
                    .map_err(|message| error(span.start, message))?;
                let node = Node {
                    line: line(span.start),
                    value,
                };
                builder.count(1, span.start)?;
                let plain = style == ScalarStyle::Plain && tag.is_none();
                builder.add(node, anchor, span.start, plain)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                collection_tag(tag.as_deref(), "seq", span.start)?;
                let items = builder.seqs.pop().unwrap_or_default();
                builder.open(&span, anchor, Kind::Seq(items));
            }
            Event::MappingStart(_, anchor, tag) => {
                collection_tag(tag.as_deref(), "map", span.start)?;
                let map = MapFrame {
                    entries: builder.maps.pop().unwrap_or_default(),
                    ..MapFrame::default()
                };
                builder.open(&span, anchor, Kind::Map(map));
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
            Event::Alias(id) => {
                let Some(target) = builder.anchors.get(&id) else {
                    return Err(error(
                        span.start,
                        "this alias refers to the node that contains it".to_string(),
                    ));
                };
                let mut copy = target.clone();
                let (count, depth) = relocate(&mut copy, line(span.start));
                builder.count(count, span.start)?;
                if builder.stack.len() + depth > MAX_DEPTH {
                    return Err(error(
                        span.start,
                        format!(
                            "aliases nest values more than {MAX_DEPTH} levels deep; the document is too deep to read"
                        ),
                    ));
                }
                builder.add(copy, 0, span.start, false)?;
            }
            _ => {}
        }
    }
    Ok(builder.root)
}

impl Builder<'_> {
    fn count(&mut self, nodes: usize, at: Marker) -> Result<(), SyntaxError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(error(
                at,
                format!(
                    "the document expands to more than {MAX_NODES} values (aliases of aliases?); \
                     it is too large to read"
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, span: &Span, anchor: usize, kind: Kind) {
        self.stack.push(Frame {
            line: line(span.start),
            at: span.start,
            anchor,
            kind,
        });
    }

    fn close(&mut self) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.kind {
            Kind::Seq(mut items) => {
                let mut exact = Vec::with_capacity(items.len());
                exact.append(&mut items);
                self.seqs.push(items);
                Value::Seq(exact)
            }
            Kind::Map(map) => {
                let mut entries = merged(map)?;
                let mut exact = Vec::with_capacity(entries.len());
                exact.append(&mut entries);
                self.maps.push(entries);
                Value::Map(exact)
            }
        };
        let node = Node {
            line: frame.line,
            value,
        };
        self.count(1, frame.at)?;
        self.add(node, frame.anchor, frame.at, false)
    }

    /// Places a finished node in its parent; `plain` when it is an untagged plain scalar (a `<<`
    /// key merges only then).
    fn add(
        &mut self,
        node: Node,
        anchor: usize,
        at: Marker,
        plain: bool,
    ) -> Result<(), SyntaxError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.kind {
            Kind::Seq(items) => items.push(node),
            Kind::Map(map) => match map.key.take() {
                None => {
                    let kind = match &node.value {
                        Value::Scalar(s) if plain && s == "<<" => KeyKind::Merge,
                        Value::Seq(_) | Value::Map(_) => KeyKind::Complex,
                        Value::Null | Value::Scalar(_) => KeyKind::Text,
                    };
                    map.key = Some((key(node), at, kind));
                }
                Some((_, _, KeyKind::Merge)) => map.merges.push((node, at)),
                Some((key, key_at, kind)) => {
                    if kind == KeyKind::Text && is_duplicate(map, &key.text) {
                        let name = match key.text.as_str() {
                            "" => "null key (`~` or empty)".to_string(),
                            text => format!("key `{text}`"),
                        };
                        return Err(error(
                            key_at,
                            format!("the {name} appears twice in this mapping; keep one"),
                        ));
                    }
                    map.entries.push((key, node));
                }
            },
        }
        Ok(())
    }
}

/// Whether `text` is already a key of `map`; remembers it otherwise.
fn is_duplicate(map: &mut MapFrame, text: &str) -> bool {
    if let Some(seen) = &mut map.seen {
        return !seen.insert(text.into());
    }
    if map.entries.iter().any(|(k, _)| k.text == text) {
        return true;
    }
    if map.entries.len() >= SCAN_LIMIT {
        let mut seen: HashSet<super::Text> =
            map.entries.iter().map(|(k, _)| k.text.clone()).collect();
        seen.insert(text.into());
        map.seen = Some(seen);
    }
    false
}

/// A mapping's own entries, then those its `<<` values bring that it lacks (the first merged
/// mapping wins among them).
fn merged(map: MapFrame) -> Result<Vec<(Key, Node)>, SyntaxError> {
    let mut entries = map.entries;
    if map.merges.is_empty() {
        return Ok(entries);
    }
    for (value, at) in map.merges {
        let sources = match value.value {
            Value::Map(merged) => vec![merged],
            Value::Seq(items) => items
                .into_iter()
                .map(|item| match item.value {
                    Value::Map(merged) => Ok(merged),
                    _ => Err(merge_error(at)),
                })
                .collect::<Result<_, _>>()?,
            Value::Null | Value::Scalar(_) => return Err(merge_error(at)),
        };
        for (key, node) in sources.into_iter().flatten() {
            if !entries.iter().any(|(k, _)| k.text == key.text) {
                entries.push((key, node));
            }
        }
    }
    Ok(entries)
}

/// A collection takes no core-schema tag but its own (`!!str [a]` is an error); other tags
/// (`!Sub [a, b]`, `!!set`, `!!omap`) are read through.
fn collection_tag(tag: Option<&Tag>, own: &str, at: Marker) -> Result<(), SyntaxError> {
    match tag.and_then(Tag::core_suffix) {
        Some(suffix) if suffix != own => Err(error(
            at,
            format!("unsupported tag `!!{suffix}` on a collection"),
        )),
        _ => Ok(()),
    }
}

fn merge_error(at: Marker) -> SyntaxError {
    error(
        at,
        "a `<<` merge key takes a mapping or a list of mappings".to_string(),
    )
}

/// A mapping key's text: numbers and booleans as resolved, null as empty.
fn key(node: Node) -> Key {
    let text = match node.value {
        Value::Scalar(s) => s,
        Value::Null => super::Text::default(),
        Value::Seq(_) | Value::Map(_) => "<complex key>".into(),
    };
    Key {
        line: node.line,
        text,
    }
}

/// Gives every line of `node` the line `to` (an alias's copy is located at the alias); counts
/// its nodes and levels.
fn relocate(node: &mut Node, to: u32) -> (usize, usize) {
    let (mut count, mut deepest) = (0, 0);
    let mut pending = vec![(node, 1)];
    while let Some((node, depth)) = pending.pop() {
        count += 1;
        deepest = deepest.max(depth);
        node.line = to;
        match &mut node.value {
            Value::Seq(items) => pending.extend(items.iter_mut().map(|n| (n, depth + 1))),
            Value::Map(entries) => {
                for (k, v) in entries {
                    k.line = to;
                    pending.push((v, depth + 1));
                }
            }
            Value::Null | Value::Scalar(_) => {}
        }
    }
    (count, deepest)
}

fn line(at: Marker) -> u32 {
    u32::try_from(at.line()).unwrap_or(u32::MAX)
}

fn error(at: Marker, message: String) -> SyntaxError {
    SyntaxError {
        line: Some(at.line() as u64),
        column: Some(at.col() as u64 + 1),
        message,
    }
}
