use super::*;
use crate::collector::yaml;

fn svc(text: &str) -> Declared {
    let doc = Node::interpolated(yaml::parse(text).unwrap(), 0, &|_| None).unwrap();
    let (k, v) = &doc.entries()[0];
    declared(k, v, &super::super::tree::merge_tags(text)).unwrap()
}

#[test]
fn environment_list_and_map() {
    let d = svc("app:\n  environment:\n    - A=1\n    - B\n    - C=\n    - A=2\n");
    let got: Vec<_> = d
        .environment
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref(), e.at.line))
        .collect();
    assert_eq!(
        got,
        [("A", Some("2"), 6), ("B", None, 4), ("C", Some(""), 5)]
    );
    let d = svc("app:\n  environment:\n    A: 1\n    B:\n    C: \"\"\n    D: true\n");
    let got: Vec<_> = d
        .environment
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("A", Some("1")),
            ("B", None),
            ("C", Some("")),
            ("D", Some("true"))
        ]
    );
}

#[test]
fn overlays_follow_composes_rules() {
    let mut base = svc(
        "app:\n  image: a:1\n  command: run --x\n  environment: {A: '1', B: '2'}\n  ports: ['8080:80']\n  networks: {front: {aliases: [web]}}\n",
    );
    let over = svc(
        "app:\n  image: a:2\n  environment: [B=3, C=4]\n  ports: ['8080:80', '9090:90']\n  networks: {front: {aliases: [www]}, back: {}}\n",
    );
    base.overlay(over);
    assert_eq!(base.image.unwrap().0, "a:2");
    assert_eq!(base.command.unwrap().0, ["run", "--x"]);
    let env: Vec<_> = base
        .environment
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_deref().unwrap()))
        .collect();
    assert_eq!(env, [("A", "1"), ("B", "3"), ("C", "4")]);
    let ports: Vec<_> = base.ports.iter().map(|p| p.target).collect();
    assert_eq!(ports, [80, 90]);
    let nets = base.networks.unwrap();
    assert_eq!(nets[0].aliases, ["web", "www"]);
    assert_eq!(nets[1].name, "back");
}

#[test]
fn reset_and_override_tags_clear_what_earlier_files_set() {
    let mut base = svc("app:\n  ports: ['8080:80']\n  environment: {A: '1'}\n  command: run\n");
    base.overlay(svc(
        "app:\n  ports: !reset []\n  environment: !override\n    B: '2'\n",
    ));
    assert!(base.ports.is_empty());
    let env: Vec<_> = base.environment.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(env, ["B"]);
    assert!(base.command.is_some());
}

#[test]
fn shell_words_split_like_a_shell() {
    assert_eq!(
        shell_words("otelcol --config=/etc/a.yaml"),
        ["otelcol", "--config=/etc/a.yaml"]
    );
    assert_eq!(
        shell_words(r#"sh -c 'echo "a b"' x\ y"#),
        ["sh", "-c", "echo \"a b\"", "x y"]
    );
    assert_eq!(shell_words("  "), Vec::<String>::new());
    assert_eq!(shell_words("''"), [""]);
}
