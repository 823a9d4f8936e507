//! The layout's arrows point one way (docs/architecture.md): every `crate::` path in non-test
//! code of `src/` must point at a lower layer, or be one of the few arrows named within a layer;
//! no circle between top-level modules; no command imports another; no non-test source file over
//! 500 lines. Each failure names the file and line to change.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level modules of `src/` by layer; an import may point at a lower layer only.
const LAYERS: &[(&str, u8)] = &[
    ("exit", 0),
    ("protocol", 0),
    ("rule", 0),
    ("style", 0),
    ("text", 0),
    ("collector", 1),
    ("deploy", 1),
    ("host", 1),
    ("input", 1),
    ("probe", 1),
    ("report", 1),
    ("settings", 1),
    ("spring", 1),
    ("symptom", 1),
    ("trace", 1),
    ("check_propagation", 2),
    ("checks", 2),
    ("decode_header", 2),
    ("listen", 2),
    ("send", 2),
    ("error", 3),
    ("fuzzing", 3),
    ("generate", 3),
    ("registry", 3),
    ("runner", 3),
    ("cli", 4),
    ("cmd", 4),
];

/// The arrows allowed within a layer.
const WITHIN: &[(&str, &str)] = &[
    ("report", "settings"),
    ("collector", "settings"),
    ("deploy", "settings"),
    ("deploy", "collector"),
    ("deploy", "input"),
    ("spring", "settings"),
    ("spring", "collector"),
    ("symptom", "probe"),
    ("checks", "send"),
    ("check_propagation", "listen"),
    ("check_propagation", "send"),
    ("error", "registry"),
    ("generate", "registry"),
    ("runner", "registry"),
    ("cmd", "cli"),
];

/// Commands share `cmd/inputs.rs`, `cmd/outputs.rs` and `cmd/progress.rs`; they never import
/// each other.
const CMD_SHARED: &[&str] = &["inputs", "outputs", "progress"];

const MAX_LINES: usize = 500;

struct Source {
    path: PathBuf,
    /// Top-level module, e.g. `checks` for `src/checks/agent/port_open.rs`.
    top: String,
    /// Module path below `src/`, e.g. `["cmd", "doctor"]`.
    module: Vec<String>,
    text: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files that are test-only modules: declared under `#[cfg(test)]` by their parent (and all
/// files below them).
fn test_only(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut test = BTreeSet::new();
    for path in files {
        let text = fs::read_to_string(path).expect("source file");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let decl = line.trim();
            let Some(name) = decl
                .strip_prefix("pub mod ")
                .or_else(|| decl.strip_prefix("pub(crate) mod "))
                .or_else(|| decl.strip_prefix("mod "))
                .and_then(|rest| rest.strip_suffix(';'))
            else {
                continue;
            };
            if i == 0 || lines[i - 1].trim() != "#[cfg(test)]" {
                continue;
            }
            let dir = match path.file_name().and_then(|n| n.to_str()) {
                Some("mod.rs" | "lib.rs" | "main.rs") => {
                    path.parent().expect("parent").to_path_buf()
                }
                _ => path.with_extension(""),
            };
            test.insert(dir.join(format!("{name}.rs")));
            test.insert(dir.join(name));
        }
    }
    files
        .iter()
        .filter(|f| test.iter().any(|t| f.starts_with(t) || *f == t))
        .cloned()
        .collect()
}

/// The non-test part of a file: without its `#[cfg(test)] mod name { … }` blocks.
fn non_test(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("#[cfg(test)]\n") {
        let after = &rest[i + "#[cfg(test)]\n".len()..];
        let head = after.lines().next().unwrap_or_default().trim_start();
        let is_block = (head.starts_with("mod ")
            || head.starts_with("pub mod ")
            || head.starts_with("pub(crate) mod "))
            && head.ends_with('{');
        if !is_block {
            out.push_str(&rest[..i + "#[cfg(test)]\n".len()]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..i]);
        let open = after.find('{').expect("block opens");
        let mut depth = 0usize;
        let mut end = after.len();
        for (j, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn sources() -> Vec<Source> {
    let src = root().join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let tests = test_only(&files);
    files
        .into_iter()
        .filter(|f| !tests.contains(f))
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).expect("below src");
            let mut module: Vec<String> = rel
                .iter()
                .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            let top = module.first()?.clone();
            if top == "lib" || top == "main" {
                return None;
            }
            let text = fs::read_to_string(&path).expect("source file");
            Some(Source {
                path,
                top,
                module,
                text,
            })
        })
        .collect()
}

/// Every `crate::a::b…` path in a line, as its segments; `use crate::{a, b::c}` groups give one
/// path per first segment.
fn crate_paths(code: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    let mut rest = code;
    let mut offset = 0;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        let start = i + "crate::".len();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            rest = &rest[start..];
            offset += start;
            continue;
        }
        let tail = &rest[start..];
        let line = code[..offset + i].matches('\n').count() + 1;
        if let Some(group) = tail.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    items.push(std::mem::take(&mut item));
                    break;
                }
                if c == ',' && depth == 1 {
                    items.push(std::mem::take(&mut item));
                } else if depth == 1 {
                    item.push(c);
                }
            }
            for item in items {
                let segments: Vec<String> = item
                    .trim()
                    .split("::")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if !segments.is_empty() {
                    found.push((line, segments));
                }
            }
        } else {
            let path: String = tail
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments: Vec<String> = path
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if !segments.is_empty() {
                found.push((line, segments));
            }
        }
        rest = &rest[start..];
        offset += start;
    }
    found
}

/// Lines that are comments are not code.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") { "" } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn allowed(from: &str, to: &str) -> bool {
    match (layer(from), layer(to)) {
        (Some(a), Some(b)) => b < a || WITHIN.contains(&(from, to)),
        _ => false,
    }
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_top_level_module_has_a_layer() {
    let tops: BTreeSet<String> = sources().into_iter().map(|s| s.top).collect();
    let unknown: Vec<_> = tops.iter().filter(|t| layer(t).is_none()).collect();
    assert!(
        unknown.is_empty(),
        "top-level modules without a layer: {unknown:?}; add them to LAYERS here and to \
         docs/architecture.md"
    );
    let doc =
        fs::read_to_string(root().join("docs/architecture.md")).expect("docs/architecture.md");
    for (module, _) in LAYERS {
        assert!(
            doc.contains(&format!("`{module}`")),
            "docs/architecture.md does not name the module `{module}`"
        );
        assert!(
            tops.contains(*module),
            "LAYERS names `{module}`, which is not a module of src/"
        );
    }
}

#[test]
fn imports_point_down_the_layers() {
    let mut wrong = Vec::new();
    for s in sources() {
        for (line, path) in crate_paths(&code_of(&non_test(&s.text))) {
            let to = &path[0];
            if *to == s.top || layer(to).is_none() {
                continue;
            }
            if !allowed(&s.top, to) {
                wrong.push(format!(
                    "{}:{line}: `{}` imports `crate::{}` (layer {:?} -> {:?})",
                    rel(&s.path),
                    s.top,
                    path.join("::"),
                    layer(&s.top),
                    layer(to)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against docs/architecture.md:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_circle_between_top_level_modules() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in sources() {
        for (_, path) in crate_paths(&code_of(&non_test(&s.text))) {
            if path[0] != s.top && layer(&path[0]).is_some() {
                edges
                    .entry(s.top.clone())
                    .or_default()
                    .insert(path[0].clone());
            }
        }
    }
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let mut circle = stack[i..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        let circle = visit(node, &edges, &mut Vec::new(), &mut done);
        assert!(
            circle.is_none(),
            "module circle: {}",
            circle.unwrap_or_default().join(" -> ")
        );
    }
}

#[test]
fn no_command_imports_another_command() {
    let mut wrong = Vec::new();
    for s in sources().into_iter().filter(|s| s.top == "cmd") {
        let me = s.module.get(1).cloned().unwrap_or_default();
        let code = code_of(&non_test(&s.text));
        let code = if s.module.len() == 2 {
            code.replace("super::", "crate::cmd::")
        } else {
            code
        };
        for (line, path) in crate_paths(&code) {
            if path[0] != "cmd" {
                continue;
            }
            let Some(other) = path.get(1) else { continue };
            if *other != me && !CMD_SHARED.contains(&other.as_str()) {
                wrong.push(format!(
                    "{}:{line}: imports crate::{}",
                    rel(&s.path),
                    path.join("::")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "commands importing commands:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_over_500_lines() {
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    walk(&root().join("crates"), &mut files);
    let tests = test_only(&files);
    let long: Vec<String> = files
        .iter()
        .filter(|f| !tests.contains(*f) && !f.components().any(|c| c.as_os_str() == "tests"))
        .filter_map(|f| {
            let text = fs::read_to_string(f).expect("source file");
            let n = non_test(&text).lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} lines", rel(f)))
        })
        .collect();
    assert!(
        long.is_empty(),
        "non-test source files over {MAX_LINES} lines (split them by job):\n{}",
        long.join("\n")
    );
}

#[test]
fn crate_paths_reads_groups_and_inline_paths() {
    let code = "use crate::{a::B, c::{d, e}};\nfn f() { crate::g::h(); my_crate::x(); }";
    let paths: Vec<_> = crate_paths(code)
        .into_iter()
        .map(|(l, p)| (l, p[0].clone()))
        .collect();
    assert_eq!(
        paths,
        vec![
            (1, "a".to_string()),
            (1, "c".to_string()),
            (2, "g".to_string())
        ]
    );
}
