//! `doctor --offline` through the binary: the settings checks, exit codes, selection, env files,
//! list-checks and explain for every check, colour, secrets, and pinned output formats.

use std::io::Write;

use serde_json::Value;

use crate::support::{stderr_of, stdout_of, tracectl};

/// The issue's "done when" configuration: an empty service name and gRPC sent to the HTTP port.
const BROKEN: &[(&str, &str)] = &[
    ("OTEL_SERVICE_NAME", ""),
    ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
];

const TOKEN: &str = "s3cr3t-token-value-0123456789";

fn doctor(vars: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut cmd = tracectl();
    cmd.args(["doctor", "--offline"]).args(args);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout_of(out)))
}

fn findings(doc: &Value) -> Vec<&Value> {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap())
        .collect()
}

#[test]
fn done_when_unknown_service_and_grpc_to_4318_exit_1_with_fixes() {
    let out = doctor(BROKEN, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let doc = json_of(&out);
    let found = findings(&doc);
    let svc = found.iter().find(|f| f["id"] == "SVC001").expect("SVC001");
    assert!(svc["message"].as_str().unwrap().contains("unknown_service"));
    assert_eq!(svc["fix"], "export OTEL_SERVICE_NAME=<your-service>");
    let end = found.iter().find(|f| f["id"] == "END001").expect("END001");
    assert!(end["message"].as_str().unwrap().contains("4318"));
    assert!(
        end["fix"]
            .as_str()
            .unwrap()
            .starts_with("export OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317")
    );
    assert_eq!(doc["failed"], true);
    let effective = |key: &str| {
        doc["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "effective" && s["key"] == key)
            .unwrap_or_else(|| panic!("no effective {key}"))
            .clone()
    };
    assert_eq!(effective("otlp.protocol")["source"]["kind"], "env");
    assert_eq!(effective("otlp.url")["value"], "http://collector:4318/");
    assert_eq!(effective("service.name")["source"]["kind"], "spec-default");
}

#[test]
fn sdk_flag_names_the_fallback_that_sdk_reports() {
    let out = doctor(
        &[],
        &["--format", "json", "--sdk", "java", "--select", "SVC001"],
    );
    let doc = json_of(&out);
    let msg = findings(&doc)[0]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("`unknown_service:java`"), "{msg}");
}

#[test]
fn exit_codes_follow_fail_on_and_severity_overrides() {
    let clean = [("OTEL_SERVICE_NAME", "checkout")];
    assert_eq!(doctor(&clean, &[]).status.code(), Some(0));
    let warning_only = [("OTEL_SERVICE_NAME", "-checkout")];
    assert_eq!(doctor(&warning_only, &[]).status.code(), Some(0));
    let out = doctor(&warning_only, &["--fail-on", "warning"]);
    assert_eq!(out.status.code(), Some(1));
    let out = doctor(
        &warning_only,
        &["--severity", "service-name-assembled=error"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = doctor(
        BROKEN,
        &["--severity", "SVC001=info", "--severity", "END001=warning"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
}

#[test]
fn select_and_skip_take_ids_names_and_families() {
    let out = doctor(
        BROKEN,
        &[
            "--format", "json", "--select", "endpoint", "--skip", "END001",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    let ids: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.iter().all(|id| id.starts_with("END")) && !ids.contains(&"END001"),
        "{ids:?}"
    );
    let out = doctor(BROKEN, &["--select", "service-name-unst"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("did you mean `service-name-unset`"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn usage_errors_exit_2_with_a_sentence() {
    let out = doctor(&[], &["--set", "OTEL_SERVICE_NAME"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("is not KEY=VALUE"));
    let out = doctor(&[], &["--env-file", "/nonexistent/tracectl.env"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("cannot read env file /nonexistent/tracectl.env"));
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(
        file,
        "OTEL_SERVICE_NAME=checkout\nOTEL_EXPORTER_OTLP_ENDPOINT"
    )
    .unwrap();
    let out = doctor(&[], &["--env-file", file.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let expected = format!("{}:2: ", file.path().display());
    assert!(stderr_of(&out).contains(&expected), "{}", stderr_of(&out));
}

#[test]
fn env_files_record_file_and_line_and_docker_keeps_quotes() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "# app\nOTEL_SERVICE_NAME=\"checkout\"").unwrap();
    let path = file.path().to_str().unwrap();
    let out = doctor(&[], &["--format", "json", "--env-file", path]);
    let doc = json_of(&out);
    let line = doc["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "OTEL_SERVICE_NAME")
        .unwrap()
        .clone();
    assert_eq!(line["value"], "checkout");
    assert_eq!(line["source"]["line"], 2);
    let out = doctor(
        &[],
        &[
            "--env-file",
            path,
            "--env-file-format",
            "docker",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout_of(&out);
    assert!(text.contains("docker --env-file keeps quotes"), "{text}");
    assert!(text.contains("export OTEL_SERVICE_NAME=checkout"), "{text}");
}

#[test]
fn set_wins_over_env_files_and_the_environment() {
    let out = doctor(
        &[("OTEL_SERVICE_NAME", "from-env")],
        &["--format", "json", "--set", "OTEL_SERVICE_NAME=from-flag"],
    );
    let doc = json_of(&out);
    let name = doc["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "service.name")
        .unwrap()
        .clone();
    assert_eq!(name["value"], "from-flag");
    assert_eq!(name["source"]["kind"], "flag");
}

#[test]
fn list_checks_json_has_twenty_checks_with_their_identity() {
    let out = tracectl()
        .args(["doctor", "--list-checks", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    let checks = doc["checks"].as_array().unwrap();
    assert!(checks.len() >= 20, "{} checks", checks.len());
    for c in checks {
        for field in ["id", "name", "family", "severity", "title"] {
            assert!(
                c[field].as_str().is_some_and(|s| !s.is_empty()),
                "{c} lacks {field}"
            );
        }
    }
}

#[test]
fn list_checks_in_markdown_is_a_table_row_per_rule_and_report_formats_are_refused() {
    let out = tracectl()
        .args(["doctor", "--list-checks", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout_of(&out);
    for rule in tracectl::registry::rules() {
        let row = format!("| {} | {} |", rule.id, rule.name);
        assert_eq!(text.matches(&row).count(), 1, "{row} once in:\n{text}");
    }
    for format in ["sarif", "junit", "github"] {
        let out = tracectl()
            .args(["doctor", "--list-checks", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(out.stdout.is_empty(), "{format}: nothing on stdout");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("human, json or markdown"), "{err}");
    }
}

#[test]
fn explain_works_for_every_id_and_name() {
    for check in tracectl::registry::CHECKS {
        for key in [check.id, check.name] {
            let out = tracectl().args(["explain", key]).output().unwrap();
            assert_eq!(out.status.code(), Some(0), "explain {key}");
            assert!(stdout_of(&out).starts_with(&format!("# {} {}", check.id, check.name)));
        }
        let out = tracectl()
            .args(["explain", check.id, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(json_of(&out)["name"], check.name);
    }
}

#[test]
fn no_ansi_unless_colour_is_forced() {
    for format in ["human", "json", "github"] {
        let out = doctor(BROKEN, &["--format", format]);
        assert!(!stdout_of(&out).contains('\x1b'), "ANSI in {format}");
    }
    let mut cmd = tracectl();
    cmd.env_remove("NO_COLOR").args(["doctor", "--offline"]);
    for (k, v) in BROKEN {
        cmd.env(k, v);
    }
    assert!(
        !stdout_of(&cmd.output().unwrap()).contains('\x1b'),
        "ANSI into a pipe"
    );
    let out = doctor(BROKEN, &["--color", "always"]);
    assert!(
        stdout_of(&out).contains('\x1b'),
        "--color always gives colour"
    );
}

#[test]
fn header_secrets_never_reach_any_output() {
    let headers = format!("\"authorization=Bearer {TOKEN}\",x-key={TOKEN}");
    let vars = [
        ("OTEL_EXPORTER_OTLP_HEADERS", headers.as_str()),
        ("JAEGER_PASSWORD", TOKEN),
    ];
    for format in ["human", "json", "github"] {
        let out = doctor(&vars, &["--format", format]);
        assert_eq!(out.status.code(), Some(1), "HDR002 fails the run");
        let all = format!("{}{}", stdout_of(&out), stderr_of(&out));
        assert!(
            !all.contains(TOKEN),
            "{format} output leaks the secret:\n{all}"
        );
        assert!(all.contains("HDR002"), "{format}");
    }
}

/// One representative failing configuration, pinned in every format.
const REPRESENTATIVE: &[(&str, &str)] = &[
    ("OTEL_SERVICE_NAME", "-checkout"),
    ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
    ("OTEL_EXPORTER_OTLP_HEADERS", "Authorization: Bearer s3cr3t"),
    ("OTEL_TRACES_SAMPLER_ARG", "0.1"),
    ("JAEGER_AGENT_PORT", "6832"),
];

fn pinned(format: &str) -> String {
    let out = doctor(
        REPRESENTATIVE,
        &["--sdk", "java", "--verbose", "--format", format],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    stdout_of(&out)
}

macro_rules! assert_pinned {
    ($name:literal, $text:expr) => {
        insta::with_settings!({filters => vec![
            (r" +\d+ms\b", " [ms]"),
            (r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#),
            (r#""version": "[^"]+""#, r#""version": "[version]""#),
            (r"tracectl \d+\.\d+\.\d+\S*", "tracectl [version]"),
        ]}, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

#[test]
fn human_output_is_pinned() {
    assert_pinned!("doctor_offline_human", pinned("human"));
}

#[test]
fn human_output_wraps_at_columns_and_keeps_commands_whole() {
    let mut vars = REPRESENTATIVE.to_vec();
    vars.push(("COLUMNS", "100"));
    let out = doctor(&vars, &["--sdk", "java", "--verbose"]);
    let text = stdout_of(&out);
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than COLUMNS=100: {line:?}"
        );
    }
    assert!(
        text.contains(
            "      fix      export OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317 (or\n"
        ),
        "{text}"
    );
    assert!(
        !text.lines().any(|l| l.trim_end().ends_with("export")),
        "`export` is never separated from its assignment: {text}"
    );
    assert_pinned!("doctor_offline_human_100_columns", text);
}

#[test]
fn json_output_is_pinned() {
    assert_pinned!("doctor_offline_json", pinned("json"));
}

#[test]
fn github_output_is_pinned() {
    assert_pinned!("doctor_offline_github", pinned("github"));
}
