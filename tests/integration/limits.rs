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
        &["send-test-span", "--verify", "http://127.0.0.1:1", "--verify-timeout", HUGE],
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
        (&["listen", "--count", "0"], "0"),
        (&["doctor", "--scan", "999.999.999.999"], "not an IP address"),
        (&["doctor", "--scan", "http://x"], "not a URL"),
        (&["doctor", "--ntp-server", "host:99999"], "1 to 65535"),
        (&["doctor", "--ntp-server", "http://time.example.com"], "not a URL"),
    ] {
        let err = refused(args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
