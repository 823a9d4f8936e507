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

pub mod fake_jaeger;
