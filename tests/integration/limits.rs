//! Values out of range are refused before anything runs: exit 2, one sentence naming the flag
//! and its limit, no panic (docs/limits.md).

use crate::support::{stderr_of, tracectl};

/// Runs `tracectl args`, expects exit 2 without a panic, and returns standard error.
fn refused(args: &[&str]) -> String {
    let out = tracectl().args(args).write_stdin("").output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    err
}

const HUGE: &str = "18446744073709551615s";

#[test]
fn huge_durations_are_refused_with_their_maximum() {
    for args in [
        &["doctor", "--offline", "--timeout", HUGE][..],
        &["send-test-span", "--timeout", HUGE],
        &["send-test-span", "--timeout", "2h"],
        &["listen", "--duration", HUGE],
        &["listen", "--summary-every", HUGE],
        &["listen", "--skew-threshold", "8days"],
        &["send-test-span", "--rate", "10", "--duration", HUGE],
        &[
            "send-test-span",
            "--verify",
            "http://127.0.0.1:1",
            "--verify-timeout",
            HUGE,
        ],
    ] {
        let err = refused(args);
        assert!(err.contains("at most"), "{args:?}: {err}");
    }
}

#[test]
fn longest_allowed_duration_runs() {
    let out = tracectl()
        .args(["doctor", "--offline", "--timeout", "1h", "--format", "json"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

#[test]
fn loose_values_are_refused() {
    for (args, says) in [
        (&["doctor", "--timeout", "1ns"][..], "at least 10ms"),
        (&["send-test-span", "--timeout", "1ms"], "at least 10ms"),
        (&["listen", "--count", "0"], "at least 1"),
        (
            &["doctor", "--scan", "999.999.999.999"],
            "not an IP address",
        ),
        (&["doctor", "--scan", "http://x"], "not a URL"),
        (&["doctor", "--ntp-server", "host:99999"], "1 to 65535"),
        (
            &["doctor", "--ntp-server", "http://time.example.com"],
            "not a URL",
        ),
    ] {
        let err = refused(args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

/// Arguments and environment variables of one run.
type Run = (Vec<String>, Vec<(&'static str, String)>);

/// Every file flag, and the variables naming files, with `path` in place of the file.
fn file_inputs(path: &str) -> Vec<Run> {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let send = |flag: &str| {
        args(&[
            "send-test-span",
            "--endpoint",
            "https://127.0.0.1:9",
            "--timeout",
            "200ms",
            flag,
            path,
        ])
    };
    let cert = [
        "OTEL_EXPORTER_OTLP_CERTIFICATE",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
    ];
    vec![
        (args(&["doctor", "--offline", "--env-file", path]), vec![]),
        (
            args(&["doctor", "--offline", "--collector-config", path]),
            vec![],
        ),
        (args(&["analyze", path]), vec![]),
        (args(&["doctor", "--k8s", path]), vec![]),
        (send("--ca-file"), vec![]),
        (
            [send("--client-cert"), args(&["--client-key", "/dev/null"])].concat(),
            vec![],
        ),
        (
            args(&["send-test-span", "--timeout", "200ms"]),
            vec![
                (cert[0], path.to_string()),
                (cert[1], "https://127.0.0.1:9".to_string()),
            ],
        ),
    ]
}

/// Runs tracectl; returns its exit code and standard output and error together. A file named by
/// a variable is the send's error (exit 1, in the receipt); a flag's is a usage error (exit 2).
fn run_input(args: &[String], vars: &[(&str, String)]) -> (Option<i32>, String) {
    let out = tracectl()
        .args(args)
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .write_stdin("")
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let code = match (out.status.code(), vars.is_empty()) {
        (Some(1), false) => Some(2),
        (code, _) => code,
    };
    (
        code,
        format!("{}{}", crate::support::stdout_of(&out), stderr_of(&out)),
    )
}

#[test]
fn endless_files_stop_at_their_size_limit() {
    for (args, vars) in file_inputs("/dev/zero") {
        let (code, err) = run_input(&args, &vars);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        // analyze streams its input: NUL bytes are refused as JSON before any limit.
        let why = if args[0] == "analyze" {
            "not a trace export"
        } else {
            "larger than"
        };
        assert!(
            err.contains("/dev/zero") && err.contains(why),
            "{args:?}: {err}"
        );
    }
    let big = tempfile::NamedTempFile::new().unwrap();
    big.as_file().set_len(2 << 20).unwrap();
    let path = big.path().to_str().unwrap();
    let (code, err) = run_input(&file_inputs(path)[0].0, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("larger than 1 MiB, the most tracectl reads from an env file"),
        "{err}"
    );
}

/// Runs `tracectl args` with /dev/zero as standard input (assert_cmd would read it whole first);
/// returns the exit code and standard error, killing the process if it runs past a minute.
fn with_endless_stdin(args: &[&str]) -> (Option<i32>, String) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tracectl"))
        .args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .stdin(Stdio::from(std::fs::File::open("/dev/zero").unwrap()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{args:?} still reads standard input after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.code(), stderr_of(&out))
}

#[test]
fn endless_standard_input_ends_in_an_error() {
    let (code, err) = with_endless_stdin(&["decode-header", "-"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("past 64 MiB"), "{err}");
    let (code, err) = with_endless_stdin(&["analyze", "-"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn a_fifo_without_writer_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let path = fifo.to_str().unwrap().to_string();
    let handles: Vec<_> = file_inputs(&path)
        .into_iter()
        .map(|(args, vars)| {
            let vars: Vec<(&'static str, String)> = vars;
            std::thread::spawn(move || (run_input(&args, &vars), args))
        })
        .collect();
    for h in handles {
        let ((code, err), args) = h.join().unwrap();
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("nothing arrived from it within 10s"),
            "{args:?}: {err}"
        );
    }
}
