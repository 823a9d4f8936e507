//! Splitting manifest text into objects: multi-document YAML (`---`), JSON, and `kind: List`
//! wrappers, each object with lines counted in the whole file and the `# Source:` template that
//! `helm template` writes before it.

use std::sync::Arc;

use crate::collector::yaml::{self, Node, Value};
use crate::deploy::{Location, Problem, ProblemKind};

/// A file's text (or one document of it) with the offset of every line, to look at the raw text
/// of a line by its number in the file.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The lines of the file before `text`.
    before: u32,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts =
            Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines {
            text,
            starts,
            before: 0,
        }
    }

    /// The lines of one document, numbered as in its file.
    pub fn of(doc: &Doc<'a>) -> Lines<'a> {
        Lines {
            before: doc.offset,
            ..Lines::new(doc.text)
        }
    }

    /// Whether the text has a line `n` (1-based).
    pub fn exists(&self, n: u32) -> bool {
        n > self.before && usize::try_from(n - self.before).is_ok_and(|n| n <= self.starts.len())
    }

    /// Line `n` (1-based) without its newline; empty outside the text.
    pub fn line(&self, n: u32) -> &'a str {
        if n <= self.before {
            return "";
        }
        let index = usize::try_from(n - self.before - 1).unwrap_or(usize::MAX);
        let Some(&start) = self.starts.get(index) else {
            return "";
        };
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |e| e - 1);
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

/// One Kubernetes object read from a file.
#[derive(Debug, Clone)]
pub struct Object {
    pub file: Arc<str>,
    /// The `# Source:` comment of its document (`helm template` output).
    pub template: Option<String>,
    pub node: Node,
}

impl Object {
    pub fn kind(&self) -> &str {
        self.node.get("kind").and_then(Node::as_str).unwrap_or("")
    }

    pub fn name(&self) -> Option<&str> {
        self.node.get("metadata")?.get("name")?.as_str()
    }

    pub fn namespace(&self) -> Option<&str> {
        self.node.get("metadata")?.get("namespace")?.as_str()
    }

    pub fn at(&self, line: u32) -> Location {
        Location::new(Arc::clone(&self.file), line)
    }
}

/// The objects of one document (none for an empty one, the items of a `kind: List`), with
/// lines counted in the whole file; a syntax error is a problem at its line.
pub fn parse(doc: &Doc<'_>) -> Result<Vec<Object>, Problem> {
    match yaml::parse(doc.text) {
        Ok(mut node) => {
            let mut objects = Vec::new();
            if !node.is_null() {
                shift(&mut node, doc.offset);
                unwrap_list(doc.file, doc.template, node, &mut objects);
            }
            Ok(objects)
        }
        Err(e) => Err(Problem {
            kind: ProblemKind::Unreadable,
            workload: None,
            location: Location::new(
                Arc::clone(doc.file),
                doc.offset + u32::try_from(e.line.unwrap_or(1)).unwrap_or(1),
            ),
            message: format!(
                "this document is not valid YAML ({}); fix it so the objects in it are read",
                e.message
            ),
        }),
    }
}

/// Items per thread below this many: starting threads costs more than it saves.
const PARALLEL_FROM: usize = 64;

/// Runs `each` on every item, on every core when there are many: the items are split in
/// contiguous runs, one per thread, so each thread holds one document's tree at a time.
pub fn each_on_cores<T: Send>(items: &mut [T], each: impl Fn(&mut T) + Sync) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if threads == 1 || items.len() < PARALLEL_FROM {
        items.iter_mut().for_each(each);
        return;
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let each = &each;
        let runs: Vec<_> = items
            .chunks_mut(chunk)
            .map(|run| scope.spawn(move || run.iter_mut().for_each(each)))
            .collect();
        for run in runs {
            run.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    });
}

/// A `kind: List` (`kubectl get -o yaml`) contributes its items; anything else is one object.
fn unwrap_list(file: &Arc<str>, template: Option<&str>, node: Node, objects: &mut Vec<Object>) {
    let is_list = node
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && node.get("items").is_some();
    if is_list {
        let Value::Map(entries) = node.value else {
            return;
        };
        let items = entries.into_iter().find(|(k, _)| k.text == "items");
        if let Some((
            _,
            Node {
                value: Value::Seq(items),
                ..
            },
        )) = items
        {
            for item in items {
                unwrap_list(file, template, item, objects);
            }
        }
        return;
    }
    if matches!(node.value, Value::Map(_)) {
        objects.push(Object {
            file: Arc::clone(file),
            template: template.map(str::to_string),
            node,
        });
    }
}

/// One YAML document of a stream: its file, its text, the lines before it and its `# Source:`
/// comment.
pub struct Doc<'a> {
    pub file: &'a Arc<str>,
    pub text: &'a str,
    offset: u32,
    template: Option<&'a str>,
}

/// The documents of `file`'s text, each with the `# Source:` comment `helm template` writes
/// at its top.
pub fn split<'a>(file: &'a Arc<str>, text: &'a str) -> impl Iterator<Item = Doc<'a>> {
    yaml::documents(text).map(move |d| Doc {
        file,
        text: d.text,
        offset: d.lines_before,
        template: template(d.text),
    })
}

/// The last `# Source: path` comment of a document.
fn template(text: &str) -> Option<&str> {
    memchr::memmem::find(text.as_bytes(), b"# Source: ")?;
    text.lines()
        .rev()
        .find_map(|l| l.trim_end().strip_prefix("# Source: "))
        .map(str::trim)
}

/// Adds `by` to every line in the tree.
pub(super) fn shift(node: &mut Node, by: u32) {
    node.line = node.line.saturating_add(by);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Map(entries) => {
            for (k, v) in entries {
                k.line = k.line.saturating_add(by);
                shift(v, by);
            }
        }
        Value::Null | Value::Scalar(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(text: &str) -> (Vec<Object>, Vec<Problem>) {
        let (mut objects, mut problems) = (Vec::new(), Vec::new());
        let file: Arc<str> = Arc::from("m.yaml");
        let mut docs: Vec<_> = split(&file, text).map(|d| (d, None)).collect();
        each_on_cores(&mut docs, |(doc, parsed)| *parsed = Some(parse(doc)));
        for parsed in docs.into_iter().filter_map(|(_, parsed)| parsed) {
            match parsed {
                Ok(found) => objects.extend(found),
                Err(problem) => problems.push(problem),
            }
        }
        (objects, problems)
    }

    #[test]
    fn documents_keep_file_lines_and_helm_sources() {
        let text = "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# Source: demo/templates/svc.yaml\nkind: Service\nmetadata:\n  name: b\n";
        let (objs, problems) = objects(text);
        assert!(problems.is_empty());
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[0].template.as_deref(), Some("demo/templates/cm.yaml"));
        assert_eq!(objs[1].kind(), "Service");
        let (key, _) = objs[1].node.entry("metadata").unwrap();
        assert_eq!(key.line, 10);
        assert_eq!(objs[1].name(), Some("b"));
    }

    #[test]
    fn lists_and_json_are_objects_too() {
        let list = "apiVersion: v1\nkind: List\nitems:\n- kind: Service\n  metadata:\n    name: s\n- kind: ConfigMap\n  metadata:\n    name: c\n";
        let (objs, _) = objects(list);
        assert_eq!(
            objs.iter().map(Object::kind).collect::<Vec<_>>(),
            ["Service", "ConfigMap"]
        );
        assert_eq!(objs[1].node.entry("metadata").unwrap().0.line, 8);
        let json = "{\n  \"kind\": \"Service\",\n  \"metadata\": {\"name\": \"j\"}\n}\n";
        let (objs, _) = objects(json);
        assert_eq!(objs[0].name(), Some("j"));
    }

    #[test]
    fn a_broken_document_is_a_problem_at_its_line_and_the_others_are_read() {
        let text = "kind: Service\nmetadata: {name: a}\n---\nkind: [\n---\nkind: ConfigMap\nmetadata: {name: c}\n";
        let (objs, problems) = objects(text);
        assert_eq!(objs.len(), 2);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].location.line >= 4, "{:?}", problems[0]);
    }

    #[test]
    fn a_long_stream_parsed_on_several_threads_keeps_document_order_and_lines() {
        let mut text = String::new();
        for i in 0..3 * PARALLEL_FROM {
            if i == PARALLEL_FROM + 7 {
                text.push_str("---\nkind: [\n");
            }
            text.push_str(&format!("---\nkind: Service\nmetadata:\n  name: s{i}\n"));
        }
        let (objs, problems) = objects(&text);
        assert_eq!(objs.len(), 3 * PARALLEL_FROM);
        for (i, o) in objs.iter().enumerate() {
            assert_eq!(o.name(), Some(format!("s{i}").as_str()));
            let extra = if i > PARALLEL_FROM + 6 { 2 } else { 0 };
            let line = u32::try_from(4 * i + 4 + extra).unwrap();
            assert_eq!(o.node.entry("metadata").unwrap().0.line, line - 1);
        }
        assert_eq!(problems.len(), 1);
        let broken = u32::try_from(4 * (PARALLEL_FROM + 7) + 2).unwrap();
        assert!(problems[0].location.line >= broken, "{:?}", problems[0]);
    }

    #[test]
    fn a_documents_lines_are_numbered_as_in_its_file() {
        let file: Arc<str> = Arc::from("m.yaml");
        let docs: Vec<_> = split(&file, "kind: A\n---\nkind: B\ndata:\n  k: v\n").collect();
        let lines = Lines::of(&docs[1]);
        assert_eq!((lines.line(3), lines.line(5)), ("kind: B", "  k: v"));
        assert_eq!((lines.line(1), lines.line(2), lines.line(7)), ("", "", ""));
        assert!(lines.exists(3) && lines.exists(5) && !lines.exists(2));
    }

    #[test]
    fn lines_are_found_by_number() {
        let lines = Lines::new("a\r\nb\n\nc");
        assert_eq!(
            (lines.line(1), lines.line(2), lines.line(3), lines.line(4)),
            ("a", "b", "", "c")
        );
        assert_eq!(lines.line(9), "");
    }
}
