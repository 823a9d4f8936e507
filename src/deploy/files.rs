//! Gathering deployment files: files as given, directories recursively (`*.yaml`, `*.yml`,
//! `*.json`, in name order), `-` for standard input. Every read is bounded.

use std::path::{Path, PathBuf};

use super::k8s::Input;
use crate::input::{self, MANIFEST};

/// Reads every input of `paths`; the error is a sentence naming the path.
pub fn gather(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let bytes = input::read_bounded(std::io::stdin(), MANIFEST).map_err(|e| {
                format!("cannot read standard input: {}", crate::text::io_reason(&e))
            })?;
            inputs.push(Input {
                name: "-".into(),
                text: text(bytes),
            });
        } else if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            if files.is_empty() {
                return Err(format!(
                    "{} holds no *.yaml, *.yml or *.json file; pass the directory of the manifests",
                    path.display()
                ));
            }
            for file in files {
                inputs.push(read(&file)?);
            }
        } else {
            inputs.push(read(path)?);
        }
    }
    Ok(inputs)
}

fn read(path: &Path) -> Result<Input, String> {
    let what = path.display().to_string();
    let bytes = input::read_file(path, MANIFEST).map_err(|e| {
        format!(
            "cannot read {what}: {}; pass a manifest file, a directory or -",
            crate::text::io_reason(&e)
        )
    })?;
    Ok(Input {
        name: what,
        text: text(bytes),
    })
}

/// Manifest bytes as text; invalid UTF-8 is replaced rather than refused.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read directory {}: {}",
            dir.display(),
            crate::text::io_reason(&e)
        )
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether `text` matches the glob `pattern` (`*` any run of characters, `?` one character).
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_ids() {
        assert!(glob("shop/*", "shop/Deployment/checkout/app"));
        assert!(glob("*/checkout/*", "shop/Deployment/checkout/app"));
        assert!(glob(
            "shop/Deployment/checkou?/app",
            "shop/Deployment/checkout/app"
        ));
        assert!(!glob("shop/*/cart/*", "shop/Deployment/checkout/app"));
        assert!(glob("*", ""));
        assert!(!glob("a", "ab"));
    }

    #[test]
    fn directories_are_read_recursively_in_order() {
        let dir = std::env::temp_dir().join(format!("tracectl-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("b.yaml"), "kind: B").unwrap();
        std::fs::write(dir.join("sub/a.yml"), "kind: A").unwrap();
        std::fs::write(dir.join("notes.txt"), "x").unwrap();
        let inputs = gather(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<_> = inputs.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(names, ["kind: B", "kind: A"]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            gather(&[dir.join("missing.yaml")])
                .unwrap_err()
                .contains("cannot read")
        );
    }
}
