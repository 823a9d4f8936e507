//! Secrets typed into flags, variables and endpoint URLs never reach the output: each case runs
//! through the built binary in every format, and stdout and stderr are searched for the secret.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::support::tracectl;

const SECRET: &str = "s3cr3tPa55";

/// Runs tracectl, returns exit code and stdout+stderr after asserting neither holds [`SECRET`].
fn run_without_secret(args: &[&str]) -> (Option<i32>, String) {
    let out = tracectl().args(args).output().unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains(SECRET),
        "{args:?} prints the secret:\n{text}"
    );
    assert!(!text.contains("panicked"), "{args:?}:\n{text}");
    (out.status.code(), text)
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An OTLP/HTTP receiver that accepts one request and hands back its head.
fn otlp_http_once() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
        let mut reader = BufReader::new(stream);
        let (mut head, mut length) = (String::new(), 0usize);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            head.push_str(&line);
        }
        let _ = reader.read_exact(&mut vec![0u8; length]);
        let mut stream = reader.into_inner();
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n",
        );
        let _ = tx.send(head);
    });
    (port, rx)
}

#[test]
fn url_passwords_are_redacted_in_every_doctor_format() {
    let endpoint = format!("http://user:{SECRET}@127.0.0.1:{}", closed_port());
    let set = format!("OTEL_EXPORTER_OTLP_ENDPOINT={endpoint}");
    for format in ["human", "json", "github"] {
        for extra in [&["--offline"][..], &["--timeout", "300ms"]] {
            let mut args = vec!["doctor", "--set", &set, "--format", format];
            args.extend_from_slice(extra);
            let (_, text) = run_without_secret(&args);
            if format != "github" {
                assert!(
                    text.contains("user:<redacted, 10 chars>@127.0.0.1"),
                    "{text}"
                );
            }
        }
        let flag = format!("http://user:{SECRET}@127.0.0.1:{}", closed_port());
        run_without_secret(&[
            "doctor",
            "--endpoint",
            &flag,
            "--format",
            format,
            "--timeout",
            "300ms",
        ]);
    }
}

#[test]
fn url_passwords_are_redacted_in_every_output_file() {
    let endpoint = format!("http://user:{SECRET}@127.0.0.1:{}", closed_port());
    let set = format!("OTEL_EXPORTER_OTLP_ENDPOINT={endpoint}");
    let dir = tempfile::tempdir().unwrap();
    let formats = ["human", "json", "github", "sarif", "junit", "markdown"];
    let outputs: Vec<String> = formats
        .iter()
        .map(|f| format!("{f}={}", dir.path().join(f).display()))
        .collect();
    let mut args = vec!["doctor", "--set", &set, "--offline"];
    for o in &outputs {
        args.extend(["--output", o.as_str()]);
    }
    run_without_secret(&args);
    for f in formats {
        let text = std::fs::read_to_string(dir.path().join(f)).unwrap();
        assert!(!text.is_empty(), "{f} written");
        assert!(
            !text.contains(SECRET),
            "{f} file carries the password:\n{text}"
        );
    }
}

/// clap quotes an unparsable URL back: without its password.
#[test]
fn unparsable_urls_are_quoted_without_their_password() {
    let bad = format!("http://user:{SECRET}@127.0.0.1:99999");
    let (code, _) = run_without_secret(&["doctor", "--endpoint", &bad]);
    assert_eq!(code, Some(2));
}

#[test]
fn url_passwords_are_redacted_in_send_receipts() {
    let endpoint = format!("http://user:{SECRET}@127.0.0.1:{}", closed_port());
    for format in ["human", "json"] {
        let args = [
            "send-test-span",
            "--protocol",
            "http/protobuf",
            "--endpoint",
            &endpoint,
        ];
        let (code, text) =
            run_without_secret(&[&args[..], &["--timeout", "300ms", "--format", format]].concat());
        assert_eq!(code, Some(1), "{text}");
        let args = [
            &args[..],
            &["--rate", "10", "--duration", "200ms", "--format", format],
        ]
        .concat();
        run_without_secret(&args);
    }
}

#[test]
fn curl_style_headers_are_accepted_and_never_echoed() {
    let header = format!("Authorization: Bearer {SECRET}");
    for format in ["human", "json"] {
        let (port, rx) = otlp_http_once();
        let endpoint = format!("http://127.0.0.1:{port}");
        let (code, text) = run_without_secret(&[
            "send-test-span",
            "--protocol",
            "http/protobuf",
            "--endpoint",
            &endpoint,
            "--header",
            &header,
            "--format",
            format,
            "--timeout",
            "3s",
        ]);
        assert_eq!(code, Some(0), "{text}");
        assert!(text.contains("Authorization"), "{text}");
        let head = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(
            head.to_ascii_lowercase().contains(&format!(
                "authorization: bearer {}",
                SECRET.to_ascii_lowercase()
            )),
            "{head}"
        );
    }
    for flag in ["--header", "--verify-header"] {
        for value in [
            SECRET.to_string(),
            format!("Bearer {SECRET}=x"),
            format!("={SECRET}"),
        ] {
            let (code, text) = run_without_secret(&[
                "send-test-span",
                "--verify",
                "http://127.0.0.1:1",
                flag,
                &value,
            ]);
            assert_eq!(code, Some(2), "{text}");
            assert!(text.contains(flag), "{text}");
        }
    }
}

#[test]
fn set_values_that_may_be_secrets_are_not_echoed() {
    for format in ["human", "json", "github"] {
        let headers = format!("OTEL_EXPORTER_OTLP_HEADERS=Authorization: Bearer {SECRET}");
        run_without_secret(&["doctor", "--offline", "--set", &headers, "--format", format]);
        let no_equals = format!("OTEL_EXPORTER_OTLP_HEADERS=Bearer {SECRET}");
        run_without_secret(&[
            "doctor",
            "--offline",
            "--set",
            &no_equals,
            "--format",
            format,
        ]);
    }
    let (code, text) =
        run_without_secret(&["doctor", "--offline", "--set", &format!("Bearer {SECRET}")]);
    assert_eq!(code, Some(2), "{text}");
    let (_, text) = run_without_secret(&["doctor", "--offline", "--set", "OTEL_SERVICE_NAME"]);
    assert!(
        text.contains("`OTEL_SERVICE_NAME` is not KEY=VALUE"),
        "{text}"
    );
}

#[test]
fn env_file_lines_that_do_not_parse_are_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    for (format, line) in [
        ("dotenv", format!("Authorization: Bearer {SECRET}")),
        ("docker", format!("Authorization: Bearer {SECRET}")),
        ("dotenv", format!("OTEL_SERVICE_NAME=\"x\" {SECRET}")),
    ] {
        let path = dir.path().join("app.env");
        std::fs::write(&path, format!("{line}\n")).unwrap();
        let (code, text) = run_without_secret(&[
            "doctor",
            "--offline",
            "--env-file",
            path.to_str().unwrap(),
            "--env-file-format",
            format,
        ]);
        assert_eq!(code, Some(2), "{text}");
    }
}
