use super::*;

fn file(name: &str, text: &str) -> File {
    File {
        name: name.into(),
        text: text.into(),
    }
}

#[test]
fn later_files_then_the_environment_then_system_properties_win() {
    let files = [
        file(
            "application.yaml",
            "management:\n  otlp:\n    tracing:\n      endpoint: http://yaml:4318/v1/traces\n      transport: grpc\n  tracing:\n    sampling.probability: 0.5\n",
        ),
        file(
            "application-prod.properties",
            "management.otlp.tracing.endpoint=http://props:4318/v1/traces\nserver.port=8080\n",
        ),
    ];
    let mut inputs = Inputs::default();
    inputs.set(
        "MANAGEMENT_TRACING_SAMPLING_PROBABILITY",
        "1.0",
        Source::Env,
    );
    let spring = Spring::resolve(&files, &inputs).unwrap().unwrap();
    let endpoint = spring.first(ENDPOINT).unwrap();
    assert_eq!(endpoint.value, "http://props:4318/v1/traces");
    assert_eq!(
        endpoint.source.to_string(),
        "application-prod.properties:1 (Spring application file)"
    );
    assert!(endpoint.from_file);
    assert_eq!(spring.transport().0, "grpc");
    let p = spring.get(PROBABILITY).unwrap();
    assert_eq!((p.value.as_str(), &p.source), ("1.0", &Source::Env));
    assert!(spring.get("server.port").is_none());

    let mut inputs = Inputs::default();
    inputs.set(
        "JAVA_TOOL_OPTIONS",
        "-Dmanagement.otlp.tracing.endpoint=http://sysprop:4318/v1/traces",
        Source::Env,
    );
    inputs.set(
        "MANAGEMENT_OTLP_TRACING_ENDPOINT",
        "http://env:4318/v1/traces",
        Source::Env,
    );
    let carriers = crate::settings::java::carriers(&inputs, None, true);
    crate::settings::java::apply(&mut inputs, &carriers, &|_| None);
    let spring = Spring::resolve(&files, &inputs).unwrap().unwrap();
    assert_eq!(
        spring.first(ENDPOINT).unwrap().value,
        "http://sysprop:4318/v1/traces"
    );
}

#[test]
fn relaxed_binding_matches_every_spelling() {
    assert_eq!(
        canonical("management.otlp.tracing.connect-timeout"),
        canonical("management.otlp.tracing.connectTimeout")
    );
    assert_eq!(
        env_key("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT").as_deref(),
        Some("management.opentelemetry.tracing.export.otlp.endpoint")
    );
    assert_eq!(env_key("MANAGEMENT_SERVER_PORT"), None);
    let spring = Spring::resolve(
        &[file("a.yml", "management.otlp.tracing.Transport: GRPC\n")],
        &Inputs::default(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(spring.transport().0, "grpc");
}

#[test]
fn nothing_set_is_no_spring_app_and_headers_are_hidden() {
    assert_eq!(Spring::resolve(&[], &Inputs::default()), Ok(None));
    let spring = Spring::resolve(
        &[file(
            "application.properties",
            "management.otlp.tracing.headers.authorization=Bearer s3cr3t-token\n",
        )],
        &Inputs::default(),
    )
    .unwrap()
    .unwrap();
    let shown = spring.properties()[0].shown();
    assert!(!shown.contains("s3cr3t"), "{shown}");
    let bad = Spring::resolve(&[file("application.yaml", "a: [\n")], &Inputs::default());
    assert!(bad.unwrap_err().starts_with("application.yaml: line"));
}
