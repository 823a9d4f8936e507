use std::path::PathBuf;

use super::super::{Options, read};
use crate::deploy::{Deployment, ProblemKind, Role, TargetPort, Transport};

fn fixture(dir: &str, files: &[&str], shell: &[(&str, &str)]) -> Deployment {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/compose")
        .join(dir);
    let options = Options {
        files: files.iter().map(|f| root.join(f)).collect(),
        process_env: Some(
            shell
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ),
        ..Options::default()
    };
    read(&options).1
}

#[test]
fn services_become_workloads_with_their_sources() {
    let d = fixture(
        "otel-demo",
        &["docker-compose.yml", "docker-compose.override.yml"],
        &[],
    );
    let ids: Vec<&str> = d.workloads.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "cart",
            "checkout",
            "frontend",
            "jaeger",
            "otel-collector",
            "valkey-cart"
        ]
    );
    let frontend = d.workload("frontend").unwrap();
    assert_eq!(frontend.namespace, "otel-demo");
    assert!(
        frontend.source.file.ends_with("docker-compose.yml"),
        "{:?}",
        frontend.source
    );
    assert_eq!(frontend.source.line, 58);
    let endpoint = frontend.var("OTEL_EXPORTER_OTLP_ENDPOINT").unwrap();
    assert_eq!(endpoint.value.text(), "http://otel-collector:4317");
    assert_eq!(endpoint.source.line, 69);
    assert!(endpoint.origin.contains(".env:15"), "{}", endpoint.origin);
    let name = frontend.var("OTEL_SERVICE_NAME").unwrap();
    assert_eq!(name.value.text(), "frontend-dev");
    assert!(name.source.file.ends_with("docker-compose.override.yml"));
    let published: Vec<_> = frontend
        .ports
        .iter()
        .map(|p| (p.container_port, p.host_port))
        .collect();
    assert_eq!(published, [(8080, None), (8080, Some(8080))]);
    assert_eq!(d.workload("otel-collector").unwrap().role, Role::Collector);
    assert_eq!(d.workload("jaeger").unwrap().role, Role::Backend);
    assert_eq!(d.workload("cart").unwrap().role, Role::App);
}

#[test]
fn collectors_read_their_mounted_config() {
    let d = fixture("otel-demo", &["docker-compose.yml"], &[]);
    let input = d.collector_of("otel-collector").unwrap();
    let names: Vec<_> = input.configs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with("otelcol-config.yml"), "{names:?}");
    assert!(input.configs[0].text.contains("receivers:"));
    let d = fixture("profiles", &["compose.yaml"], &[]);
    assert_eq!(d.collector_of("collector").unwrap().configs.len(), 2);
}

#[test]
fn names_aliases_ports_and_shared_networks() {
    let d = fixture("profiles", &["compose.yaml"], &[("SHELL_SUPPLIED", "x")]);
    let collector = d.services.iter().find(|s| s.name == "collector").unwrap();
    assert_eq!(
        collector.aliases,
        ["shop-collector", "otel", "otel.shop.internal"]
    );
    let ports: Vec<_> = collector
        .ports
        .iter()
        .map(|p| (p.port, p.transport))
        .collect();
    assert_eq!(
        ports,
        [
            (4317, Transport::Tcp),
            (4318, Transport::Tcp),
            (55678, Transport::Tcp),
            (55679, Transport::Tcp)
        ]
    );
    assert_eq!(collector.ports[0].target, TargetPort::Number(4317));
    assert!(
        d.services.iter().all(|s| s.name != "sidecar"),
        "network_mode services have no DNS name"
    );
    let sidecar = d.workload("sidecar").unwrap();
    assert!(sidecar.shares_network_with(d.workload("collector").unwrap()));
    assert!(
        !d.workload("orders")
            .unwrap()
            .shares_network_with(d.workload("collector").unwrap())
    );
    assert!(
        d.workload("debug-ui").is_none(),
        "profile debug is not active"
    );
    let orders = d.workload("orders").unwrap();
    assert!(orders.var("NOT_ANYWHERE").is_none());
    assert_eq!(orders.var("SHELL_SUPPLIED").unwrap().value.text(), "x");
    let arg = orders.var("OTEL_TRACES_SAMPLER_ARG").unwrap();
    assert_eq!(arg.value.text(), "1.0");
    assert_eq!(arg.overrides.len(), 1, "{:?}", arg.overrides);
    assert!(
        arg.overrides[0].contains("common.env:4"),
        "{:?}",
        arg.overrides
    );
}

#[test]
fn unset_variables_and_refused_projects_are_problems() {
    let d = fixture("jaeger-hotrod", &["docker-compose.yml"], &[]);
    let unset: Vec<_> = d
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::UnsetVariable)
        .map(|p| (p.location.line, p.message.as_str()))
        .collect();
    assert!(unset.is_empty(), "defaults cover every variable: {unset:?}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("compose.yaml");
    std::fs::write(&file, "services:\n  app:\n    image: a\n    environment:\n      OTEL_EXPORTER_OTLP_ENDPOINT: http://${OTLP_HOST}:4317\n").unwrap();
    let options = Options {
        files: vec![file.clone()],
        ..Options::default()
    };
    let d = read(&options).1;
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].kind, ProblemKind::UnsetVariable);
    assert_eq!(d.problems[0].location.line, 5);
    std::fs::write(&file, "services:\n  app:\n    image: ${TAG:?set TAG}\n").unwrap();
    let d = read(&options).1;
    assert!(d.workloads.is_empty());
    assert_eq!(d.problems[0].kind, ProblemKind::Unreadable);
    assert_eq!(d.problems[0].location.line, 3);
    assert!(
        d.problems[0].message.contains("set TAG"),
        "{}",
        d.problems[0].message
    );
}
