//! Shared helpers for the integration tests.

pub mod peers;

use assert_cmd::Command;

/// The built `tracectl` with a clean, deterministic environment: no inherited OTEL_*/JAEGER_*
/// settings, no colour, no backtraces, no proxies.
pub fn tracectl() -> Command {
    let mut cmd =
        Command::cargo_bin("tracectl").expect("the tracectl binary is built by cargo test");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("TRACECTL_TEST_NO_HOST", "1");
    cmd
}

/// Standard output of a finished command, as text.
pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error of a finished command, as text.
pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `tracectl doctor ARGS` run from the repository root (fixture paths are relative to it).
pub fn doctor_at_root(args: &[&str]) -> Command {
    let mut cmd = tracectl();
    cmd.current_dir(peers::root()).arg("doctor").args(args);
    cmd
}

/// The JSON report of `doctor --k8s PATH`, asserting the exit code.
pub fn k8s_json(path: &str, code: i32) -> serde_json::Value {
    let out = doctor_at_root(&["--k8s", path, "--format", "json"])
        .assert()
        .code(code)
        .get_output()
        .clone();
    serde_json::from_str(&stdout_of(&out)).expect("a JSON report")
}

pub mod fake_jaeger;
