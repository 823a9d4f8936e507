use super::CHECK;
use crate::checks::deploy::testing::{findings, passes};
use crate::checks::mesh::testing::{MESH, TELEMETRY, line_of, mesh};

fn with_service(service: &str) -> String {
    mesh(
        &MESH.replace("otel-collector.observability.svc.cluster.local", service),
        TELEMETRY,
    )
}

#[test]
fn passes_with_the_full_name_or_a_namespace_prefix_and_a_listed_port() {
    assert!(passes(&CHECK, &mesh(MESH, TELEMETRY), None));
    assert!(passes(
        &CHECK,
        &with_service("observability/otel-collector.observability.svc.cluster.local"),
        None
    ));
}

#[test]
fn hosts_outside_the_input_or_namespaces_without_services_are_not_judged() {
    assert!(passes(&CHECK, &with_service("otlp.example.com"), None));
    assert!(passes(
        &CHECK,
        &with_service("otel-collector.tracing.svc.cluster.local"),
        None
    ));
}

#[test]
fn flags_a_short_name_with_the_full_one() {
    let m = with_service("otel-collector.observability");
    let f = findings(&CHECK, &m, None);
    assert!(
        f[0].fix
            .contains("service: otel-collector.observability.svc.cluster.local"),
        "{}",
        f[0].fix
    );
    let line = line_of(&m, "kind: ConfigMap\nmetadata:\n  name: istio", "service:");
    assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
}

#[test]
fn flags_a_missing_service_with_the_close_one() {
    let f = findings(
        &CHECK,
        &with_service("otel-colector.observability.svc.cluster.local"),
        None,
    );
    assert!(
        f[0].message.contains("observability/otel-colector"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].fix.contains("did you mean otel-collector"),
        "{}",
        f[0].fix
    );
}

#[test]
fn flags_an_unlisted_port_at_the_port_line_and_a_wrong_prefix() {
    let m = mesh(&MESH.replace("port: 4317", "port: 55680"), TELEMETRY);
    let f = findings(&CHECK, &m, None);
    assert!(
        f[0].message.contains("lists only 4317, 4318"),
        "{}",
        f[0].message
    );
    let line = line_of(
        &m,
        "kind: ConfigMap\nmetadata:\n  name: istio",
        "port: 55680",
    );
    assert_eq!(f[0].location.as_ref().map(|l| l.line), Some(line));
    let f = findings(
        &CHECK,
        &with_service("shop/otel-collector.observability.svc.cluster.local"),
        None,
    );
    assert!(f[0].fix.contains("drop the `shop/` prefix"), "{}", f[0].fix);
}

#[test]
fn an_unrelated_missing_name_gets_no_suggestion() {
    let f = findings(
        &CHECK,
        &with_service("billing.observability.svc.cluster.local"),
        None,
    );
    assert!(
        f[0].message.contains("observability/billing"),
        "{}",
        f[0].message
    );
    assert!(!f[0].fix.contains("did you mean"), "{}", f[0].fix);
}

#[test]
fn flags_a_provider_without_a_port() {
    let m = mesh(&MESH.replace("    port: 4317\n", ""), TELEMETRY);
    let f = findings(&CHECK, &m, None);
    assert!(f[0].message.contains("has no `port`"), "{}", f[0].message);
    assert!(f[0].fix.contains("4317, 4318"), "{}", f[0].fix);
}
