//! The command-line contract: help, version, exit codes, generated artefacts, colour, pipes.

use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

use crate::support::peers::{self, Rotel};
use crate::support::{stderr_of, stdout_of, tracectl};

#[test]
fn help_lists_commands_and_exit_codes() {
    let out = tracectl().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = stdout_of(&out);
    for word in [
        "doctor",
        "explain",
        "completions",
        "man",
        "Exit codes:",
        "Examples:",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}

#[test]
fn version_names_the_tool() {
    let out = tracectl().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout_of(&out).starts_with("tracectl "));
}

#[test]
fn unknown_flag_is_a_usage_error_with_exit_code_2() {
    let out = tracectl()
        .args(["doctor", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("--no-such-flag"));
}

#[test]
fn committed_completions_match_the_binary_for_every_shell() {
    for (shell, file) in [
        ("bash", "tracectl.bash"),
        ("zsh", "_tracectl"),
        ("fish", "tracectl.fish"),
        ("powershell", "_tracectl.ps1"),
        ("elvish", "tracectl.elv"),
    ] {
        let out = tracectl().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "completions {shell}");
        let committed = std::fs::read(peers::root().join("completions").join(file)).unwrap();
        assert!(
            out.stdout == committed,
            "completions/{file} is stale; run scripts/regenerate"
        );
    }
}

#[test]
fn man_page_is_roff_and_matches_the_committed_copy() {
    let out = tracectl().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout_of(&out).contains(".TH tracectl 1"));
    let committed = std::fs::read(peers::root().join("docs/man/tracectl.1")).unwrap();
    assert!(
        out.stdout == committed,
        "docs/man/tracectl.1 is stale; run scripts/regenerate"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tracectl"))
        .arg("man")
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "exit {status:?}, stderr: {err}");
    assert!(err.is_empty(), "stderr: {err}");
}

#[test]
fn explain_an_unknown_check_suggests_the_closest_and_exits_2() {
    let out = tracectl()
        .args(["explain", "sdk-disabeld"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("did you mean `sdk-disabled`"), "{err}");
    assert!(err.starts_with("error: "), "{err}");
}

#[test]
fn no_ansi_when_not_a_terminal_or_no_color() {
    let with = |args: &[&str], envs: &[(&str, &str)]| {
        let mut cmd = tracectl();
        cmd.env_remove("NO_COLOR")
            .args(args)
            .envs(envs.iter().copied());
        cmd.output().unwrap()
    };
    let piped = with(&["doctor", "--offline"], &[("OTEL_SDK_DISABLED", "true")]);
    assert!(!stdout_of(&piped).contains('\x1b'), "ANSI in piped output");
    let no_color = with(
        &["doctor", "--offline", "--color", "auto"],
        &[("NO_COLOR", "1"), ("OTEL_SDK_DISABLED", "true")],
    );
    assert!(!stdout_of(&no_color).contains('\x1b'));
    let forced = with(
        &["doctor", "--offline", "--color", "always"],
        &[("OTEL_SDK_DISABLED", "true")],
    );
    assert!(
        stdout_of(&forced).contains('\x1b'),
        "--color always gives colour"
    );
}

#[test]
fn the_rotel_peer_starts_and_listens() {
    let Some(rotel) = Rotel::start() else { return };
    assert!(peers::wait_for_port(
        rotel.grpc_port,
        Duration::from_secs(1)
    ));
    assert!(peers::wait_for_port(
        rotel.http_port,
        Duration::from_secs(1)
    ));
}
