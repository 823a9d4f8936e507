use super::*;
use crate::collector::model::Section;

const BASE: &str = "receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n      http:\n        endpoint: ${env:HTTP_AT}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n";
const OVERLAY: &str = "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\nexporters:\n  otlp:\n    endpoint: jaeger:4317\nservice:\n  pipelines:\n    traces:\n      exporters: [otlp]\n";

fn layers<'a>(texts: &[(&'a str, u32, &'a str)]) -> Vec<Layer<'a>> {
    texts
        .iter()
        .map(|(file, first_line, text)| Layer {
            file,
            first_line: *first_line,
            text,
        })
        .collect()
}

#[test]
fn later_files_override_key_by_key_and_replace_lists() {
    let config = merged(&layers(&[("a.yaml", 1, BASE), ("b.yaml", 1, OVERLAY)])).unwrap();
    let ids: Vec<_> = config.components.iter().map(|c| c.path()).collect();
    assert_eq!(ids, ["receivers.otlp", "exporters.debug", "exporters.otlp"]);
    let traces = &config.pipelines[0];
    let exporters: Vec<_> = traces.exporters.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(exporters, ["otlp"], "lists are replaced, not appended");
    assert_eq!(traces.receivers[0].id, "otlp", "untouched keys stay");
    let listeners = config.listeners();
    let grpc = listeners.iter().find(|l| l.protocol == "grpc").unwrap();
    let http = listeners.iter().find(|l| l.protocol == "http").unwrap();
    assert_eq!(config.subject(grpc.line, "x"), "a.yaml:5 x");
    assert_eq!(config.subject(http.line, "x"), "b.yaml:5 x");
    assert_eq!(http.port, Some(4318));
    let exporter = config.find(Section::Exporters, "otlp").unwrap();
    assert_eq!(config.subject(exporter.line, "x"), "b.yaml:7 x");
    assert!(
        config.env_refs.is_empty(),
        "an overridden value's reference is not used: {:?}",
        config.env_refs
    );
}

#[test]
fn one_file_keeps_its_own_lines_and_offset() {
    let config = merged(&layers(&[("deploy.yaml", 8, BASE)])).unwrap();
    let grpc = config
        .listeners()
        .into_iter()
        .find(|l| l.protocol == "grpc");
    assert_eq!(config.subject(grpc.unwrap().line, "x"), "deploy.yaml:12 x");
    assert_eq!(config.env_refs[0].line, 14);
    assert!(config.parts.is_empty());
}

#[test]
fn files_of_one_manifest_keep_the_manifest_lines() {
    let config = merged(&layers(&[("m.yaml", 20, BASE), ("m.yaml", 3, OVERLAY)])).unwrap();
    let http = config
        .listeners()
        .into_iter()
        .find(|l| l.protocol == "http");
    assert_eq!(config.subject(http.unwrap().line, "x"), "m.yaml:7 x");
}

#[test]
fn a_file_that_does_not_parse_is_named() {
    let (index, _) = merged(&layers(&[("a.yaml", 1, BASE), ("b.yaml", 1, "a: [1\n")])).unwrap_err();
    assert_eq!(index, 1);
}

#[test]
fn an_empty_file_changes_nothing() {
    let extras = "# extra pipelines go here\n";
    let config = merged(&layers(&[("a.yaml", 1, BASE), ("b.yaml", 1, extras)])).unwrap();
    assert_eq!(config.listeners().len(), 2);
    assert_eq!(config.pipelines.len(), 1);
}
