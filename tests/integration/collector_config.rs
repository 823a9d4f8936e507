//! `tracectl doctor --collector-config FILE`: the COL checks through the built binary.

use assert_cmd::Command;

use crate::support::{peers, tracectl};

const FIXTURES: &str = "tests/fixtures/collector";

/// `tracectl doctor` with only the collector checks (or `--select` in `extra`), no inherited
/// environment.
fn doctor(config: &str, extra: &[&str]) -> Command {
    let select = if extra.contains(&"--select") {
        &[][..]
    } else {
        &["--select", "collector"][..]
    };
    let mut cmd = tracectl();
    cmd.current_dir(peers::root())
        .arg("doctor")
        .args(select)
        .arg("--collector-config")
        .arg(format!("{FIXTURES}/{config}"))
        .args(extra);
    cmd
}

fn stdout(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8 output")
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r" +\d+ms\b", " [ms]");
    s.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
    s.add_filter(r"tracectl \d+\.\d+\.\d+", "tracectl [version]");
    s.add_filter(r#""version": "[^"]+""#, r#""version": "[version]""#);
    s
}

#[test]
fn a_correct_config_passes_every_check() {
    let out = stdout(&mut doctor("good.yaml", &[]), 0);
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn the_field_guides_legacy_jaeger_config_fails_with_the_otlp_replacement() {
    let out = stdout(&mut doctor("legacy-jaeger.yaml", &["--format", "json"]), 1);
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn every_problem_points_at_its_line() {
    let out = stdout(&mut doctor("broken.yaml", &[]), 1);
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn a_syntax_error_is_a_finding_with_line_and_column() {
    let out = stdout(&mut doctor("syntax-error.yaml", &["--format", "github"]), 1);
    settings().bind(|| insta::assert_snapshot!(out));
}

#[test]
fn a_jaeger_v2_config_passes() {
    stdout(&mut doctor("jaeger-v2.yaml", &[]), 0);
}

#[test]
fn an_app_sending_grpc_to_an_http_only_receiver_is_an_error() {
    let out = stdout(
        &mut doctor(
            "broken.yaml",
            &[
                "--select",
                "COL012",
                "--set",
                "OTEL_EXPORTER_OTLP_PROTOCOL=grpc",
            ],
        ),
        1,
    );
    assert!(
        out.contains("sends OTLP over grpc (OTEL_EXPORTER_OTLP_PROTOCOL=grpc)"),
        "{out}"
    );
    assert!(
        out.contains("enables only http on localhost:4318, http on 0.0.0.0:4318"),
        "{out}"
    );
}

#[test]
fn env_references_count_as_set_from_the_process_environment() {
    let out = stdout(
        doctor("broken.yaml", &["--select", "COL011", "--verbose"])
            .env("BACKEND_ENDPOINT", "jaeger:4317")
            .env("BACKEND_API_KEY", "secret-value-never-shown"),
        0,
    );
    assert!(out.contains("✓ COL011"), "{out}");
    assert!(!out.contains("secret-value-never-shown"));
    let out = stdout(
        &mut doctor("broken.yaml", &["--select", "COL011", "--no-env", "-v"]),
        0,
    );
    assert!(
        out.contains("! COL011"),
        "--no-env ignores the environment: {out}"
    );
}

#[test]
fn env_references_count_as_set_from_an_env_file_without_showing_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let env = dir.path().join("collector.env");
    std::fs::write(
        &env,
        "BACKEND_ENDPOINT=jaeger:4317\nBACKEND_API_KEY=secret-value-never-shown\n",
    )
    .expect("write env file");
    let out = stdout(
        &mut doctor(
            "broken.yaml",
            &[
                "--select",
                "COL011",
                "--verbose",
                "--no-env",
                "--env-file",
                env.to_str().expect("utf-8 path"),
            ],
        ),
        0,
    );
    assert!(out.contains("✓ COL011"), "{out}");
    assert!(
        !out.contains("BACKEND_ENDPOINT"),
        "non-tracing variables stay out of the settings summary: {out}"
    );
    assert!(!out.contains("secret-value-never-shown"));
}

#[test]
fn without_a_config_the_collector_checks_are_skipped_with_the_reason() {
    let out = stdout(
        tracectl().args(["doctor", "--verbose", "--select", "COL001,COL002"]),
        0,
    );
    assert!(
        out.contains(
            "checks skipped (COL001 COL002): no collector config: pass --collector-config FILE"
        ),
        "{out}"
    );
}

#[test]
fn an_unreadable_config_is_a_usage_error() {
    let assert = doctor("does-not-exist.yaml", &[]).assert().code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        err.contains("cannot read collector config tests/fixtures/collector/does-not-exist.yaml"),
        "{err}"
    );
}

#[test]
fn doctor_never_runs_the_trace_checks() {
    let out = stdout(tracectl().args(["doctor", "--select", "COL001"]), 0);
    assert!(!out.contains("TRC001"), "{out}");
    let assert = tracectl()
        .args(["doctor", "--select", "trace-clock,COL001"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        err.contains("run tracectl analyze FILE --select trace-clock"),
        "{err}"
    );
}
