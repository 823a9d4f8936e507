//! Reading YAML into located nodes: lines, scalars as serde-saphyr printed them, anchors and
//! merges, limits.

use super::*;

#[test]
fn keys_and_values_know_their_lines() {
    let doc = parse("receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\nexporters:\n  debug: {}\n").unwrap();
    let (k, receivers) = doc.entry("receivers").unwrap();
    assert_eq!(k.line, 1);
    let (otlp_key, otlp) = receivers.entry("otlp").unwrap();
    assert_eq!(otlp_key.line, 2);
    let grpc = otlp.get("protocols").unwrap().get("grpc").unwrap();
    let (ek, ev) = grpc.entry("endpoint").unwrap();
    assert_eq!((ek.line, ev.as_str()), (5, Some("0.0.0.0:4317")));
    assert_eq!(doc.entry("exporters").unwrap().0.line, 6);
    assert!(doc.get("exporters").unwrap().get("debug").is_some());
}

#[test]
fn null_values_and_empty_documents() {
    let doc = parse("a:\nb: ~\n").unwrap();
    assert!(doc.get("a").unwrap().is_null());
    assert!(doc.get("b").unwrap().is_null());
    assert!(parse("").unwrap().is_null());
}

#[test]
fn syntax_errors_have_line_and_column() {
    let err = parse("a:\n  b: [1, 2\nc: d\n").unwrap_err();
    assert!(err.line.is_some(), "{err:?}");
    assert!(err.column.is_some());
}

/// The value `parse` gives `v` in `text`.
fn value(text: &str) -> Value {
    parse(text).unwrap().get("v").unwrap().value.clone()
}

fn scalar(s: &str) -> Value {
    Value::Scalar(s.into())
}

#[test]
fn plain_numbers_and_booleans_read_as_serde_saphyr_printed_them() {
    let table = [
        ("1", "1"),
        ("1.0", "1"),
        ("1e3", "1000"),
        ("0x10", "16"),
        ("0o17", "15"),
        ("0b101", "5"),
        ("01", "1"),
        ("0777", "777"),
        ("-0x10", "-16"),
        ("1_000", "1000"),
        ("+1", "1"),
        ("-0", "0"),
        ("0.10", "0.1"),
        (".5", "0.5"),
        ("1.5e-7", "0.00000015"),
        ("12345678901234567890123", "12345678901234568000000"),
        ("18446744073709551615", "18446744073709551615"),
        ("true", "true"),
        ("True", "true"),
        ("yes", "true"),
        ("y", "true"),
        ("oN", "true"),
        ("no", "false"),
        ("OFF", "false"),
        ("1:20", "1:20"),
        ("2024-01-01", "2024-01-01"),
        ("1_0.5", "1_0.5"),
        ("1e", "1e"),
        ("0x", "0x"),
        ("+", "+"),
        ("~x", "~x"),
        ("8080", "8080"),
    ];
    for (written, read) in table {
        assert_eq!(value(&format!("v: {written}")), scalar(read), "{written}");
    }
}

#[test]
fn nulls_quoted_and_block_scalars() {
    for null in [
        "v:",
        "v: ~",
        "v: null",
        "v: NULL",
        "v: !!null ''",
        "v: !custom ~",
    ] {
        assert_eq!(value(null), Value::Null, "{null}");
    }
    let table = [
        ("v: \"\"", ""),
        ("v: '01'", "01"),
        ("v: 'true'", "true"),
        ("v: \"1\"", "1"),
        ("v: 'it''s'", "it's"),
        ("v: \"a\\nb\"", "a\nb"),
        ("v: |\n  a\n  b\n", "a\nb\n"),
        ("v: |\n  a", "a\n"),
        ("v: |-\n  a\n", "a"),
        ("v: |+\n  a\n\n", "a\n\n"),
        ("v: >\n  a\n  b\n", "a b\n"),
        ("v: >-\n  a\n  b\n", "a b"),
        ("v: a\n  b", "a b"),
    ];
    for (text, read) in table {
        assert_eq!(value(text), scalar(read), "{text:?}");
    }
    let doc = parse("v: |\n\n  a\n").unwrap();
    assert_eq!(
        doc.get("v").unwrap().line,
        3,
        "a block scalar is at its content"
    );
}

#[test]
fn tags_read_as_before() {
    let table = [
        ("v: !!str 1", "1"),
        ("v: !!str true", "true"),
        ("v: !!str ~", "~"),
        ("v: !!str", ""),
        ("v: ! ~", "~"),
        ("v: !Ref x", "x"),
        ("v: !custom 0x10", "16"),
        ("v: !!int \"5\"", "5"),
        ("v: !!float 1", "1"),
        ("v: !!bool yes", "true"),
        ("v: !!binary aGk=", "hi"),
    ];
    for (text, read) in table {
        assert_eq!(value(text), scalar(read), "{text}");
    }
    assert!(matches!(value("v: !Sub [a, b]"), Value::Seq(items) if items.len() == 2));
    assert_eq!(parse("v: !!int abc").unwrap_err().message, "invalid u64");
    assert!(parse("v: !!str [a]").unwrap_err().message.contains("!!str"));
    assert!(parse("v: !!seq {a: 1}").is_err());
    assert!(parse("v: !!set {a}").is_ok());
    assert!(parse("v: !!omap [a: 1]").is_ok());
    let err = parse("v: .inf").unwrap_err();
    assert_eq!((err.line, err.column), (Some(1), Some(4)));
    assert!(err.message.contains("non-finite"), "{err}");
}

#[test]
fn keys_are_resolved_like_values() {
    let doc = parse("1.0: a\n0x10: b\ntrue: c\n~: d\n? [x]\n: e\n").unwrap();
    let keys: Vec<_> = doc.entries().iter().map(|(k, _)| k.text.as_str()).collect();
    assert_eq!(keys, ["1", "16", "true", "", "<complex key>"]);
    assert_eq!(doc.entries()[4].1.line, 6);
}

#[test]
fn aliases_are_copies_located_at_the_alias() {
    let doc = parse("a: &x [1, 2]\nb: *x\n").unwrap();
    let b = doc.get("b").unwrap();
    let Value::Seq(items) = &b.value else {
        panic!("{b:?}")
    };
    assert_eq!((b.line, items[1].line), (2, 2));
    assert_eq!(items[1].as_str(), Some("2"));
    let err = parse("a: &a\n  <<: *a\n").unwrap_err();
    assert_eq!(err.line, Some(2));
    assert!(parse("a: *nope").unwrap_err().message.contains("anchor"));
}

#[test]
fn merge_keys_bring_the_entries_a_mapping_lacks() {
    let doc = parse("base: &b {x: 1, k: 2}\nd:\n  <<: *b\n  k: 3\n").unwrap();
    let d = doc.get("d").unwrap();
    let entries: Vec<_> = d
        .entries()
        .iter()
        .map(|(k, v)| (k.text.as_str(), k.line, v.as_str().unwrap()))
        .collect();
    assert_eq!(entries, [("k", 4, "3"), ("x", 3, "1")]);
    let doc = parse("a: {<<: [{x: 1}, {x: 2, z: 3}]}").unwrap();
    let a = doc.get("a").unwrap();
    assert_eq!(
        a.get("x").unwrap().as_str(),
        Some("1"),
        "the first merged mapping wins"
    );
    assert_eq!(a.get("z").unwrap().as_str(), Some("3"));
    let err = parse("c:\n  <<: 5").unwrap_err();
    assert_eq!((err.line, err.column), (Some(2), Some(7)));
    assert!(err.message.contains("<<"), "{err}");
    assert_eq!(
        parse("a: <<").unwrap().get("a").unwrap().as_str(),
        Some("<<")
    );
}

#[test]
fn duplicate_keys_are_errors_at_the_second() {
    let err = parse("a: 1\nb: 2\na: 3").unwrap_err();
    assert_eq!((err.line, err.column), (Some(3), Some(1)));
    assert!(err.message.contains("`a` appears twice"), "{err}");
    let many: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
    assert!(parse(&many).is_ok());
    let err = parse(&format!("{many}k7: again\n")).unwrap_err();
    assert_eq!(err.line, Some(41));
}

#[test]
fn empty_and_comment_only_documents_are_null_and_a_second_document_is_an_error() {
    for empty in ["", "   \n", "# hi\n", "---\n", "---\n# only\n", "...\n"] {
        assert!(parse(empty).unwrap().is_null(), "{empty:?}");
    }
    assert_eq!(parse("--- a").unwrap().as_str(), Some("a"));
    assert!(parse("a: 1\n...\n").is_ok());
    assert_eq!(parse("a: 1\n---\nb: 2").unwrap_err().line, Some(2));
}

#[test]
fn alias_bombs_stop_at_a_bound() {
    let mut text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_string();
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("too large"), "{err}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let err = parse(&"[".repeat(100_000)).unwrap_err();
    assert!(err.message.contains("recursion limit"), "{err}");
    let block: String = (0..250)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    assert!(parse(&block).is_ok());
    let deep = "a: &a [[[[[[[[[[1]]]]]]]]]]\n";
    let mut text = deep.to_string();
    for i in 0..120 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("a{}", i - 1)
        };
        text.push_str(&format!("a{i}: &a{i} [[[[[[[[[[*{prev}]]]]]]]]]]\n"));
    }
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("deep"), "{err}");
}

#[test]
fn parser_errors_keep_the_parser_s_first_line() {
    let err = parse("a: [1, 2\nc: d\n").unwrap_err();
    assert_eq!(
        (err.line, err.column, err.message.as_str()),
        (Some(2), Some(2), "illegal placement of ':' indicator")
    );
    let err = parse("a: b: c").unwrap_err();
    assert_eq!(
        err.message,
        "mapping values are not allowed in this context"
    );
}

#[test]
fn a_stream_splits_at_marker_lines_with_the_lines_before_each_document() {
    let text = "a: 1\n---\nb: 2\n--- # second\nc: |\n  ---x\n...\n\n---\n  \n";
    let got: Vec<(u32, &str)> = documents(text).map(|d| (d.lines_before, d.text)).collect();
    assert_eq!(
        got,
        [
            (0, "a: 1\n"),
            (2, "b: 2\n"),
            (4, "c: |\n  ---x\n"),
            (7, "\n")
        ]
        .into_iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .collect::<Vec<_>>()
    );
    assert!(is_marker("---") && is_marker("--- # doc") && is_marker("..."));
    assert!(!is_marker("----") && !is_marker("---x") && !is_marker(" ---"));
}

#[test]
fn the_reader_parses_with_the_granit_parser_serde_saphyr_uses() {
    // Scalars are read here as serde-saphyr reads them from the same parser's events: the two
    // must stay on one version of it, or numbers and booleans could read differently.
    let lock = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"));
    let versions = lock.matches("name = \"granit-parser\"").count();
    assert_eq!(
        versions, 1,
        "Cargo.lock holds {versions} versions of granit-parser"
    );
    let saphyr = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"serde-saphyr\""))
        .expect("serde-saphyr in Cargo.lock");
    assert!(saphyr.contains("\"granit-parser\""), "{saphyr}");
}
