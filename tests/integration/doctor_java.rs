//! `tracectl doctor` with the Java agent's system properties (`--java-options`,
//! JAVA_TOOL_OPTIONS & co., a container's `java` command) and Spring Boot's tracing properties
//! (`--spring-config`): working setups give no error, each mistake its finding at its line.
//! The Spring cases select the spring and java families: an app traced by Micrometer alone does
//! not read OTEL_* variables, so the settings checks have nothing of it to judge.

use assert_cmd::Command;
use serde_json::Value;

use crate::support::{peers, stderr_of, stdout_of, tracectl};

const DIR: &str = "tests/fixtures/java";

fn doctor(args: &[&str]) -> Command {
    let mut cmd = tracectl();
    cmd.current_dir(peers::root())
        .args(["doctor", "--offline", "--format", "json"])
        .args(args);
    cmd
}

fn report(cmd: &mut Command, code: i32) -> Value {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{}", stderr_of(&out));
    serde_json::from_str(&stdout_of(&out)).expect("a JSON report")
}

/// The `settings[]` entry of kind `variable` for `name`.
fn variable<'a>(settings: &'a Value, name: &str) -> &'a Value {
    settings
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "variable" && s["key"] == name)
        .unwrap_or_else(|| panic!("no variable {name} in {settings:#}"))
}

/// Every finding of `checks` as (id, severity, file, line).
fn findings(checks: &Value) -> Vec<(String, String, String, u64)> {
    checks
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap())
        .map(|f| {
            (
                f["id"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["location"]["file"].as_str().unwrap_or("").to_string(),
                f["location"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn java_options_beat_the_environment_and_show_their_source() {
    let r = report(
        &mut doctor(&[
            "--set",
            "OTEL_SERVICE_NAME=from-set",
            "--java-options",
            "-javaagent:/otel/javaagent.jar  -Dotel.service.name='shop checkout'",
            "--java-options",
            "-Dotel.exporter.otlp.endpoint=http://collector:4318",
        ]),
        0,
    );
    let name = variable(&r["settings"], "OTEL_SERVICE_NAME");
    assert_eq!(name["value"], "shop checkout");
    assert_eq!(name["source"]["kind"], "property");
    assert_eq!(
        name["source"]["origin"],
        "-Dotel.service.name in --java-options (flag)"
    );
    let all = findings(&r["checks"]);
    assert!(
        all.iter().any(|f| f.0 == "JVA001" && f.1 == "warning"),
        "{all:?}"
    );
    // -javaagent makes the app a Java agent 2.x: http/protobuf by default.
    let protocol = r["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "otlp.protocol")
        .unwrap();
    assert_eq!(protocol["value"], "http/protobuf");
}

#[test]
fn underscore_java_options_win_and_env_file_lines_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("app.env");
    std::fs::write(
        &env,
        "OTEL_SERVICE_NAME=checkout\n_JAVA_OPTIONS=-Dotel.service.name=checkout\n",
    )
    .unwrap();
    let r = report(
        doctor(&["--env-file", env.to_str().unwrap()])
            .env("JAVA_TOOL_OPTIONS", "-Dotel.service.name=from-tool-options")
            .env("JAVA_OPTS", "-Dotel.traces.sampler=always_on"),
        0,
    );
    let name = variable(&r["settings"], "OTEL_SERVICE_NAME");
    assert_eq!(name["value"], "checkout");
    assert_eq!(name["source"]["at"]["line"], 2, "{name}");
    let sampler = variable(&r["settings"], "OTEL_TRACES_SAMPLER");
    assert_eq!(
        sampler["source"]["origin"],
        "-Dotel.traces.sampler in JAVA_OPTS (env)"
    );
    assert!(
        findings(&r["checks"]).iter().all(|f| f.0 != "JVA001"),
        "equal values are no contradiction"
    );
}

#[test]
fn an_unmatched_quote_in_java_tool_options_is_an_error() {
    let mut cmd = doctor(&["--select", "java"]);
    cmd.env(
        "JAVA_TOOL_OPTIONS",
        r#"-javaagent:/otel.jar -Dotel.service.name=\"my app"#,
    );
    let all = findings(&report(&mut cmd, 1)["checks"]);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!((all[0].0.as_str(), all[0].1.as_str()), ("JVA002", "error"));
}

#[test]
fn a_working_spring_config_gives_no_finding_and_hides_its_header() {
    for file in ["application.yaml", "application-boot4.properties"] {
        let path = format!("{DIR}/spring/{file}");
        let mut cmd = doctor(&["--spring-config", &path, "--select", "spring,java"]);
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stdout_of(&out));
        let text = stdout_of(&out);
        assert!(!text.contains("s3cr3t"), "{file}");
        let r: Value = serde_json::from_str(&text).unwrap();
        let ran = (r["checks"].as_array().unwrap().iter())
            .filter(|c| c["id"].as_str().unwrap().starts_with("SPR") && c["status"] == "pass")
            .count();
        assert_eq!(ran, 5, "{file}: every Spring check passes");
        let spring: Vec<_> = findings(&r["checks"])
            .into_iter()
            .filter(|f| f.0.starts_with("SPR"))
            .collect();
        assert!(spring.is_empty(), "{file}: {spring:?}");
    }
}

#[test]
fn each_spring_mistake_gives_its_finding_at_its_line() {
    let cases: [(&str, &[&str], &str, &str, u64); 5] = [
        ("base-url.yaml", &[], "SPR001", "error", 7),
        ("grpc-on-4318.properties", &[], "SPR003", "error", 1),
        ("sampling-zero.properties", &[], "SPR004", "error", 2),
        ("no-endpoint.yaml", &[], "SPR002", "error", 0),
        (
            "otel-keys.yaml",
            &["--java-options", "-javaagent:/otel/javaagent.jar"],
            "SPR005",
            "warning",
            5,
        ),
    ];
    for (file, extra, id, severity, line) in cases {
        let path = format!("{DIR}/spring/{file}");
        let mut cmd = doctor(&["--spring-config", &path, "--select", "spring,java"]);
        cmd.args(extra);
        let code = if severity == "error" { 1 } else { 0 };
        let all = findings(&report(&mut cmd, code)["checks"]);
        let found = all.iter().find(|f| f.0 == id);
        let Some((_, sev, at_file, at_line)) = found else {
            panic!("{file}: no {id} in {all:?}");
        };
        assert_eq!((sev.as_str(), *at_line), (severity, line), "{file}");
        if line > 0 {
            assert_eq!(at_file, &path, "{file}");
        }
        let spring: Vec<_> = all.iter().filter(|f| f.0.starts_with("SPR")).collect();
        assert_eq!(
            spring.len(),
            1,
            "{file}: one mistake, one finding: {spring:?}"
        );
    }
}

#[test]
fn spring_environment_variables_beat_the_file() {
    let path = format!("{DIR}/spring/base-url.yaml");
    let r = report(
        doctor(&["--spring-config", &path, "--select", "spring"]).env(
            "MANAGEMENT_OTLP_TRACING_ENDPOINT",
            "http://otel-collector:4318/v1/traces",
        ),
        0,
    );
    assert!(
        findings(&r["checks"])
            .iter()
            .all(|f| !f.0.starts_with("SPR"))
    );
    let spr001 = (r["checks"].as_array().unwrap().iter()).find(|c| c["id"] == "SPR001");
    assert_eq!(spr001.map(|c| &c["status"]), Some(&Value::from("pass")));
}

#[test]
fn an_unreadable_spring_config_is_a_usage_error_naming_it() {
    let out = tracectl()
        .current_dir(peers::root())
        .args([
            "doctor",
            "--offline",
            "--spring-config",
            "no/such/application.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("no/such/application.yaml"),
        "{}",
        stderr_of(&out)
    );
}

/// The JSON report of `--k8s` over one fixture of this directory.
fn k8s(fixture: &str, code: i32) -> Value {
    let path = format!("{DIR}/{fixture}");
    report(&mut doctor(&["--k8s", &path, "--workload", "shop/*"]), code)
}

#[test]
fn a_java_container_runs_with_its_options_env_and_agent_configuration_file() {
    let r = k8s("java-agent.yaml", 0);
    let w = &r["workloads"][0];
    assert_eq!(r["summary"]["errors"], 0, "{:?}", findings(&w["checks"]));
    assert!(
        findings(&w["checks"]).is_empty(),
        "{:?}",
        findings(&w["checks"])
    );
    let expect = [
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://otel-collector.observability:4318",
            116,
            "-Dotel.exporter.otlp.endpoint in JAVA_TOOL_OPTIONS",
        ),
        (
            "OTEL_RESOURCE_ATTRIBUTES",
            "deployment.environment=prod",
            105,
            "-Dotel.resource.attributes in the command",
        ),
        ("OTEL_SERVICE_NAME", "checkout", 114, "env"),
        (
            "OTEL_TRACES_SAMPLER",
            "parentbased_traceidratio",
            86,
            "otel.traces.sampler in ConfigMap otel-agent key agent.properties",
        ),
    ];
    for (name, value, line, origin) in expect {
        let v = variable(&w["settings"], name);
        assert_eq!(v["value"], value, "{name}");
        assert_eq!(v["source"]["line"], line, "{name}");
        assert_eq!(v["source"]["origin"], origin, "{name}");
    }
}

#[test]
fn a_property_contradicting_the_env_is_a_warning_at_the_options_line() {
    let r = k8s("java-agent-contradiction.yaml", 0);
    let all = findings(&r["workloads"][0]["checks"]);
    assert_eq!(
        all,
        [(
            "JVA001".to_string(),
            "warning".to_string(),
            format!("{DIR}/java-agent-contradiction.yaml"),
            120
        )]
    );
}

#[test]
fn a_container_traced_by_spring_alone_gets_the_spring_checks_only() {
    let r = k8s("spring-env.yaml", 1);
    let w = &r["workloads"][0];
    let all = findings(&w["checks"]);
    assert_eq!(
        all,
        [(
            "SPR001".to_string(),
            "error".to_string(),
            format!("{DIR}/spring-env.yaml"),
            22
        )]
    );
    assert!(
        w["note"]
            .as_str()
            .unwrap()
            .contains("Spring Boot tracing properties")
    );
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r" +\d+ms\b", " [ms]");
    s.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
    s.add_filter(r"tracectl \d+\.\d+\.\d+", "tracectl [version]");
    s.add_filter(r#""version": "[^"]+""#, r#""version": "[version]""#);
    s
}

#[test]
fn snapshot_of_a_workload_set_by_properties_env_and_a_config_file() {
    let path = format!("{DIR}/java-agent-contradiction.yaml");
    for format in ["human", "json"] {
        let out = tracectl()
            .current_dir(peers::root())
            .args([
                "doctor",
                "--k8s",
                &path,
                "--workload",
                "shop/*",
                "--format",
                format,
            ])
            .args(["--select", "java,spring,endpoint,deployment", "--verbose"])
            .output()
            .unwrap();
        let text = stdout_of(&out);
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("java_layers_{format}"), text);
        });
    }
}
