//! Every fuzz target's committed seed corpus (`fuzz/corpus/<target>/`) replayed on stable, as CI
//! runs it without nightly; and the cargo-fuzz side kept in step with `tracectl::fuzzing::TARGETS`
//! (how to add a target: src/fuzzing.rs). The header decoder's corpus is replayed by
//! crates/tracectl-propagation/tests/robustness.rs.

use std::fs;
use std::path::{Path, PathBuf};

use tracectl::fuzzing::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn seeds(name: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join("corpus").join(name);
    let entries = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seed corpus {} is missing: {e}", dir.display()));
    let mut seeds: Vec<(PathBuf, Vec<u8>)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let data = fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, data)
        })
        .collect();
    seeds.sort();
    seeds
}

#[test]
fn every_committed_seed_corpus_replays_without_panics() {
    for (name, run) in TARGETS {
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "fuzz/corpus/{name} has no seed");
        for (path, data) in &seeds {
            assert!(
                data.len() <= 16 * 1024,
                "{} is {} bytes: keep seeds small",
                path.display(),
                data.len()
            );
            let bad = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("bad-") || n.starts_with("crash-"));
            assert!(
                run(data) || bad,
                "{} no longer parses: the fuzzer would start from less (name inputs meant to \
                 fail bad-* or crash-*)",
                path.display()
            );
        }
    }
}

#[test]
fn every_target_has_its_cargo_fuzz_binary() {
    let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let template = fs::read_to_string(fuzz_dir().join("lib_target.rs")).expect("lib_target.rs");
    for (name, _) in TARGETS {
        let file = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let source = fs::read_to_string(&file).unwrap_or_default();
        assert_eq!(
            source,
            template,
            "{} must be a copy of fuzz/lib_target.rs: run scripts/fuzz-add {name} SEED...",
            file.display()
        );
        assert!(
            manifest.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "fuzz/Cargo.toml has no [[bin]] for {name}: run scripts/fuzz-add {name} SEED..."
        );
    }
    let listed: Vec<String> = fs::read_dir(fuzz_dir().join("fuzz_targets"))
        .expect("fuzz/fuzz_targets")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(String::from)
        })
        .filter(|n| n != "decode")
        .collect();
    for name in listed {
        assert!(
            TARGETS.iter().any(|(n, _)| *n == name),
            "fuzz/fuzz_targets/{name}.rs has no entry in tracectl::fuzzing::TARGETS"
        );
    }
}
