use super::*;

fn no_file(_: &str) -> Option<ConfigText> {
    None
}

fn inputs(vars: &[(&str, &str)]) -> Inputs {
    let mut inputs = Inputs::default();
    for (k, v) in vars {
        inputs.set(*k, *v, Source::Env);
    }
    inputs
}

#[test]
fn system_properties_beat_the_environment_and_say_where_they_are() {
    let mut inputs = inputs(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318"),
        ("OTEL_SERVICE_NAME", "same"),
        (
            "JAVA_TOOL_OPTIONS",
            "-javaagent:/otel.jar -Dotel.exporter.otlp.endpoint=\"http://prop:4318\" -Dotel.service.name=same",
        ),
    ]);
    let carriers = carriers(&inputs, None, true);
    apply(&mut inputs, &carriers, &no_file);
    let v = inputs.get("OTEL_EXPORTER_OTLP_ENDPOINT").unwrap();
    assert_eq!(v.value, "http://prop:4318");
    assert_eq!(
        v.source.to_string(),
        "-Dotel.exporter.otlp.endpoint in JAVA_TOOL_OPTIONS (env)"
    );
    let jvm = inputs.jvm.as_ref().unwrap();
    assert_eq!(jvm.agent.as_deref(), Some("JAVA_TOOL_OPTIONS (env)"));
    assert_eq!(jvm.shadowed.len(), 1, "equal values are no contradiction");
    assert_eq!(jvm.shadowed[0].beaten.value, "http://env:4318");
}

#[test]
fn underscore_java_options_win_over_the_command_line_and_tool_options() {
    let mut inputs = inputs(&[
        ("JAVA_TOOL_OPTIONS", "-Dotel.service.name=tool"),
        ("_JAVA_OPTIONS", "-Dotel.service.name=last"),
        ("JAVA_OPTS", "-Dotel.traces.sampler=always_off"),
    ]);
    let command = Carrier {
        name: "the command".into(),
        words: vec!["-Dotel.service.name=command".into()],
        at: Source::Flag,
        open_quote: false,
    };
    let all = carriers(&inputs, Some(command.clone()), true);
    let names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "JAVA_TOOL_OPTIONS",
            "JAVA_OPTS",
            "the command",
            "_JAVA_OPTIONS"
        ]
    );
    apply(&mut inputs, &all, &no_file);
    assert_eq!(inputs.get("OTEL_SERVICE_NAME").unwrap().value, "last");
    assert_eq!(
        inputs.get("OTEL_TRACES_SAMPLER").unwrap().value,
        "always_off"
    );
    let without_opts = carriers(&inputs, Some(command), false);
    assert!(without_opts.iter().all(|c| c.name != "JAVA_OPTS"));
}

#[test]
fn the_configuration_file_sits_below_the_environment() {
    let mut inputs = inputs(&[
        ("OTEL_SERVICE_NAME", "from-env"),
        (
            "JAVA_TOOL_OPTIONS",
            "-Dotel.javaagent.configuration-file=/etc/otel/agent.properties",
        ),
    ]);
    let read = |path: &str| {
        (path == "/etc/otel/agent.properties").then(|| ConfigText {
            name: "ConfigMap otel-agent key agent.properties".into(),
            first: Some(Location::new("deploy.yaml", 20)),
            text: "otel.service.name=from-file\n\notel.traces.sampler=always_off\n".into(),
        })
    };
    let carriers = carriers(&inputs, None, true);
    apply(&mut inputs, &carriers, &read);
    assert_eq!(inputs.get("OTEL_SERVICE_NAME").unwrap().value, "from-env");
    let sampler = inputs.get("OTEL_TRACES_SAMPLER").unwrap();
    assert_eq!(sampler.value, "always_off");
    assert_eq!(
        sampler.source.to_string(),
        "deploy.yaml:22 (otel.traces.sampler in ConfigMap otel-agent key agent.properties)"
    );
    assert!(inputs.jvm.unwrap().config_file.is_some());
}

#[test]
fn deployment_carriers_put_the_property_at_the_carriers_line() {
    let mut inputs = Inputs::default();
    inputs.set(
        "JAVA_TOOL_OPTIONS",
        "-Dotel.service.name=checkout",
        Source::Deployment {
            file: "deploy.yaml".into(),
            line: 31,
            origin: "env".into(),
        },
    );
    let carriers = carriers(&inputs, None, true);
    apply(&mut inputs, &carriers, &no_file);
    assert_eq!(
        inputs.get("OTEL_SERVICE_NAME").unwrap().source.to_string(),
        "deploy.yaml:31 (-Dotel.service.name in JAVA_TOOL_OPTIONS)"
    );
}

#[test]
fn no_options_leave_the_inputs_alone() {
    let mut inputs = inputs(&[("JAVA_TOOL_OPTIONS", "-Xmx1g"), ("OTEL_SERVICE_NAME", "a")]);
    let before = inputs.clone();
    let carriers = carriers(&inputs, None, true);
    apply(&mut inputs, &carriers, &no_file);
    assert_eq!(inputs, before);
}
