//! The CI and people formats through the built binary: SARIF validated against the OASIS
//! 2.1.0 schema (Python jsonschema), JUnit read by junitparser, the Markdown report's Mermaid
//! diagram parsed by the npm `mermaid` parser, compact human output at 80 and 120 columns, and
//! `--output FORMAT=FILE`.

use std::path::Path;
use std::process::Command as StdCommand;

use serde_json::Value;

use crate::support::{peers, stderr_of, stdout_of, tracectl};

/// An app whose env file sets an empty service name and gRPC to the HTTP port, next to a
/// collector config whose gRPC receiver is on 4317: findings in two files.
const APP_ENV: &str = "\
# checkout's tracing settings
OTEL_SERVICE_NAME=
OTEL_EXPORTER_OTLP_PROTOCOL=grpc
OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318
";

const GOOD_ENV: &str = "OTEL_SERVICE_NAME=checkout\nOTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc\n";

/// A working directory holding `app.env` and `otel.yaml` (the collector fixture `good.yaml`).
fn project(env: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.env"), env).unwrap();
    std::fs::copy(
        peers::root().join("tests/fixtures/collector/good.yaml"),
        dir.path().join("otel.yaml"),
    )
    .unwrap();
    dir
}

fn doctor_in(dir: &Path, args: &[&str]) -> std::process::Output {
    tracectl()
        .current_dir(dir)
        .args([
            "doctor",
            "--offline",
            "--env-file",
            "app.env",
            "--collector-config",
            "otel.yaml",
        ])
        .args(args)
        .output()
        .unwrap()
}

/// Runs a peer script on `file` and reads the JSON it prints.
fn peer(program: &Path, script: &str, args: &[&str], file: &Path) -> Value {
    let out = StdCommand::new(program)
        .arg(peers::script(script))
        .args(args)
        .arg(file)
        .current_dir(peers::root().join("tests/peers"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script} rejects {}:\n{}",
        file.display(),
        stderr_of(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub(crate) fn validate(kind: &str, text: &str) -> Option<Value> {
    let python = peers::python()?;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    Some(peer(&python, "validate_report.py", &[kind], file.path()))
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r" +\d+ms\b", " [ms]");
    s.add_filter(r#"time="\d+\.\d+""#, r#"time="[s]""#);
    let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
    s.add_filter(&format!(r#""{version}""#), r#""[version]""#);
    s.add_filter(r"tracectl \d+\.\d+\.\d+\S*", "tracectl [version]");
    s
}

#[test]
fn sarif_validates_and_points_at_the_env_file_and_collector_lines() {
    let dir = project(APP_ENV);
    let out = doctor_in(dir.path(), &["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    let doc: Value = serde_json::from_str(&text).expect("stdout is the SARIF document alone");
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let svc = rules.iter().find(|r| r["id"] == "SVC001").unwrap();
    assert_eq!(svc["defaultConfiguration"]["level"], "error");
    assert!(svc["fullDescription"]["text"].as_str().unwrap().len() > 20);
    let Some(seen) = validate("sarif", &text) else {
        return;
    };
    let results = seen["results"].as_array().unwrap();
    let at = |id: &str| {
        let r = results
            .iter()
            .find(|r| r["ruleId"] == id)
            .unwrap_or_else(|| panic!("{id}"));
        (
            r["file"].as_str().unwrap().to_string(),
            r["line"].as_u64().unwrap(),
        )
    };
    assert_eq!(at("SVC001"), ("app.env".to_string(), 2));
    assert_eq!(at("END001"), ("app.env".to_string(), 4));
    assert_eq!(at("COL012").0, "otel.yaml");
    for r in results {
        let file = dir.path().join(r["file"].as_str().unwrap());
        let lines = std::fs::read_to_string(&file).unwrap().lines().count() as u64;
        assert!(
            (1..=lines).contains(&r["line"].as_u64().unwrap()),
            "{r} past the end of {}",
            file.display()
        );
    }
    // The same findings in a second run keep their fingerprints.
    let again = validate(
        "sarif",
        &stdout_of(&doctor_in(dir.path(), &["--format", "sarif"])),
    )
    .unwrap();
    assert_eq!(seen["results"], again["results"]);
    // Pinned on a few checks, so that editing another check's explanation leaves it alone.
    let few = [
        "--format",
        "sarif",
        "--select",
        "SVC001,END001,NET001,COL012",
    ];
    let text = stdout_of(&doctor_in(dir.path(), &few));
    validate("sarif", &text);
    settings().bind(|| insta::assert_snapshot!("sarif_env_file_and_collector", text));
}

#[test]
fn sarif_of_a_clean_run_has_empty_results_and_logical_places_for_env_findings() {
    let dir = project(GOOD_ENV);
    let out = doctor_in(dir.path(), &["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.contains("\"results\": []"), "{text}");
    if validate("sarif", &text).is_none() {
        return;
    }
    let few = [
        "--format",
        "sarif",
        "--select",
        "SVC001,END001,NET001,COL012",
    ];
    let text = stdout_of(&doctor_in(dir.path(), &few));
    assert!(text.contains("\"results\": []"), "{text}");
    settings().bind(|| insta::assert_snapshot!("sarif_clean", text));
    // A finding from the process environment has no file: it gets a logical location.
    let out = tracectl()
        .args([
            "doctor",
            "--offline",
            "--format",
            "sarif",
            "--select",
            "SVC001",
        ])
        .output()
        .unwrap();
    let seen = validate("sarif", &stdout_of(&out)).unwrap();
    assert_eq!(seen["results"][0]["logical"], "OTEL_SERVICE_NAME", "{seen}");
}

#[test]
fn junit_has_one_testcase_per_check_failing_at_or_above_fail_on() {
    let dir = project(APP_ENV);
    let out = doctor_in(
        dir.path(),
        &["--format", "junit", "--set", "OTEL_SERVICE_NAME=-checkout"],
    );
    let text = stdout_of(&out);
    let Some(seen) = validate("junit", &text) else {
        return;
    };
    let suites = seen["suites"].as_array().unwrap();
    let cases: Vec<&Value> = suites
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap())
        .collect();
    let json = doctor_in(dir.path(), &["--format", "json"]);
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(cases.len(), doc["checks"].as_array().unwrap().len());
    assert_eq!(suites[0]["name"], "Service name");
    let case = |id: &str| {
        *cases
            .iter()
            .find(|c| c["name"].as_str().unwrap().starts_with(id))
            .unwrap()
    };
    assert_eq!(case("END001")["result"], "failure");
    assert_eq!(case("COL012")["result"], "failure");
    assert_eq!(case("NET001")["result"], "skipped");
    assert!(
        case("NET001")["message"]
            .as_str()
            .unwrap()
            .contains("--offline")
    );
    // SVC003 (a name starting with `-`) is a warning: below --fail-on error the case passes
    // (the finding is in system-out), at --fail-on warning it fails.
    assert_eq!(case("SVC003")["result"], "passed", "{}", case("SVC003"));
    assert!(
        text.contains("<system-out>warning: OTEL_SERVICE_NAME: "),
        "{text}"
    );
    let strict = doctor_in(
        dir.path(),
        &[
            "--format",
            "junit",
            "--fail-on",
            "warning",
            "--set",
            "OTEL_SERVICE_NAME=-checkout",
        ],
    );
    let seen = validate("junit", &stdout_of(&strict)).unwrap();
    let failed: Vec<&str> = seen["suites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap())
        .filter(|c| c["result"] == "failure")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(failed.iter().any(|n| n.starts_with("SVC003")), "{failed:?}");
    settings().bind(|| insta::assert_snapshot!("junit_env_file_and_collector", text));
}

#[test]
fn junit_of_a_clean_run_parses_with_no_failure() {
    let dir = project(GOOD_ENV);
    let text = stdout_of(&doctor_in(dir.path(), &["--format", "junit"]));
    let Some(seen) = validate("junit", &text) else {
        return;
    };
    assert!(
        seen["suites"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["failures"] == 0),
        "{seen}"
    );
    settings().bind(|| insta::assert_snapshot!("junit_clean", text));
}

fn mermaid_parses(markdown: &str) -> Option<Value> {
    peers::node_modules()?;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), markdown).unwrap();
    Some(peer(
        Path::new("node"),
        "mermaid_parse.mjs",
        &[],
        file.path(),
    ))
}

#[test]
fn markdown_diagram_parses_and_marks_the_broken_edges() {
    let dir = project(APP_ENV);
    let text = stdout_of(&doctor_in(dir.path(), &["--format", "markdown"]));
    assert!(text.contains("app --x|\"✗ END001\"| endpoint"), "{text}");
    assert!(
        text.contains("endpoint --x|\"✗ COL012\"| collector"),
        "{text}"
    );
    assert!(text.contains("| `app.env:4` |"), "{text}");
    if let Some(seen) = mermaid_parses(&text) {
        assert_eq!(seen["diagrams"][0]["type"], "flowchart-v2");
    }
    settings().bind(|| insta::assert_snapshot!("markdown_env_file_and_collector", text));
}

#[test]
fn markdown_of_a_clean_run_has_an_unbroken_diagram() {
    let dir = project(GOOD_ENV);
    let text = stdout_of(&doctor_in(dir.path(), &["--format", "markdown"]));
    assert!(text.contains("✅") && !text.contains("--x"), "{text}");
    if let Some(seen) = mermaid_parses(&text) {
        assert_eq!(seen["diagrams"].as_array().unwrap().len(), 1);
    }
    settings().bind(|| insta::assert_snapshot!("markdown_clean", text));
    // Without --collector-config the diagram says the collector was not checked.
    let out = tracectl()
        .args([
            "doctor",
            "--offline",
            "--format",
            "markdown",
            "--set",
            "OTEL_SERVICE_NAME=a",
        ])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("collector: not checked"), "{text}");
    if let Some(seen) = mermaid_parses(&text) {
        assert_eq!(seen["diagrams"][0]["type"], "flowchart-v2");
    }
}

#[test]
fn output_writes_each_format_and_an_unwritable_file_is_a_usage_error() {
    let dir = project(APP_ENV);
    let out = doctor_in(
        dir.path(),
        &[
            "--output",
            "sarif=tracectl.sarif",
            "-o",
            "junit=tracectl.xml",
            "--output",
            "markdown=summary.md",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out).starts_with("tracectl "),
        "{}",
        stdout_of(&out)
    );
    let sarif = std::fs::read_to_string(dir.path().join("tracectl.sarif")).unwrap();
    assert!(!sarif.contains('\u{1b}'));
    validate("sarif", &sarif);
    validate(
        "junit",
        &std::fs::read_to_string(dir.path().join("tracectl.xml")).unwrap(),
    );
    assert!(
        std::fs::read_to_string(dir.path().join("summary.md"))
            .unwrap()
            .contains("```mermaid")
    );

    let out = doctor_in(dir.path(), &["--output", "sarif=missing/dir/x.sarif"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("cannot write the SARIF report to missing/dir/x.sarif"),
        "{}",
        stderr_of(&out)
    );
    let out = doctor_in(dir.path(), &["--output", "yaml=x.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("unknown format `yaml`"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn analyze_writes_sarif_junit_and_markdown_too() {
    let trace = peers::root().join("tests/fixtures/traces");
    let file = std::fs::read_dir(&trace)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    for format in ["sarif", "junit", "markdown"] {
        let out = tracectl()
            .arg("analyze")
            .arg(&file)
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{format}: {}",
            stderr_of(&out)
        );
        let text = stdout_of(&out);
        match format {
            "sarif" => {
                validate("sarif", &text);
            }
            "junit" => {
                validate("junit", &text);
            }
            _ => assert!(
                text.contains("tracectl analyze") && !text.contains("```mermaid"),
                "{text}"
            ),
        }
    }
}

/// The representative broken setup of doctor_offline, compact at a given width.
fn compact(columns: &str) -> String {
    let out = tracectl()
        .args(["doctor", "--offline", "--sdk", "java"])
        .env("COLUMNS", columns)
        .env("OTEL_SERVICE_NAME", "")
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
        .env("OTEL_EXPORTER_OTLP_HEADERS", "Authorization: Bearer s3cr3t")
        .env("OTEL_TRACES_SAMPLER_ARG", "0.1")
        .env("JAEGER_AGENT_PORT", "6832")
        .output()
        .unwrap();
    let text = stdout_of(&out);
    let width: usize = columns.parse().unwrap();
    // The settings table is a table (values are never broken); the checks below it wrap.
    let checks = text.split("\n\n").skip(3).collect::<Vec<_>>().join("\n\n");
    for line in checks.lines() {
        assert!(
            line.chars().count() <= width,
            "wider than {width}: {line:?}"
        );
    }
    text
}

#[test]
fn compact_human_output_at_80_and_120_columns() {
    let (narrow, wide) = (compact("80"), compact("120"));
    assert!(
        wide.contains("✓ Exporter and SDK        8 checks"),
        "{wide}"
    );
    assert!(
        !wide.contains("docs/checks/"),
        "compact output has no per-finding docs line"
    );
    assert!(!wide.contains("\"addr\""), "evidence is text, not JSON");
    settings().bind(|| {
        insta::assert_snapshot!("compact_human_80_columns", narrow);
        insta::assert_snapshot!("compact_human_120_columns", wide);
    });
}

#[test]
fn verbose_shows_every_check() {
    let out = tracectl()
        .args([
            "doctor",
            "--offline",
            "-v",
            "--set",
            "OTEL_SERVICE_NAME=checkout",
        ])
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(
        text.contains("✓ SVC002") && text.contains("- NET001"),
        "{text}"
    );
}

#[test]
fn doctor_with_nothing_configured_fits_one_50_line_screen() {
    for columns in [None, Some("80"), Some("120")] {
        let mut cmd = tracectl();
        // The host's facts count too (in a container, LOC001 explains localhost).
        cmd.env_remove("TRACECTL_TEST_NO_HOST")
            .args(["doctor", "--timeout", "2s"]);
        if let Some(c) = columns {
            cmd.env("COLUMNS", c);
        }
        let out = cmd.output().unwrap();
        let text = stdout_of(&out);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{text}");
        assert!(
            text.contains("tracectl") && text.lines().count() > 10,
            "{text}"
        );
        assert!(
            text.lines().count() <= 50,
            "{} lines at {columns:?} columns:\n{text}",
            text.lines().count()
        );
    }
}

/// `doctor --k8s` over three manifests, each with one mistake (a typo in a Service name, a
/// newline left by a `|` block, an endpoint in another namespace without its suffix).
fn deployment(args: &[&str]) -> std::process::Output {
    let dir = "tests/fixtures/k8s";
    tracectl()
        .current_dir(peers::root())
        .arg("doctor")
        .args(["--k8s", &format!("{dir}/helm-demo-typo.yaml")])
        .args(["--k8s", &format!("{dir}/node-local-newline.yaml")])
        .args(["--k8s", &format!("{dir}/jaeger-all-in-one-namespace.yaml")])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn sarif_for_a_deployment_points_every_result_at_an_existing_file_and_line() {
    let out = deployment(&["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let Some(seen) = validate("sarif", &stdout_of(&out)) else {
        return;
    };
    let results = seen["results"].as_array().unwrap();
    let mut files: Vec<&str> = results
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    files.dedup();
    assert_eq!(files.len(), 3, "{seen}");
    for r in results {
        let text =
            std::fs::read_to_string(peers::root().join(r["file"].as_str().unwrap())).unwrap();
        let line = r["line"].as_u64().unwrap() as usize;
        assert!((1..=text.lines().count()).contains(&line), "{r}");
    }
    let at: Vec<(&str, u64)> = results
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["line"].as_u64().unwrap()))
        .collect();
    assert!(
        at.contains(&("DEP002", 134)) && at.contains(&("DEP006", 90)),
        "{at:?}"
    );
    let few = deployment(&["--format", "sarif", "--select", "DEP002,DEP006"]);
    let text = stdout_of(&few);
    validate("sarif", &text);
    assert!(
        text.contains("\"fullyQualifiedName\": \"workload:web/Deployment/frontend/frontend\""),
        "{text}"
    );
    settings().bind(|| insta::assert_snapshot!("sarif_deployment", text));
}

#[test]
fn junit_for_a_deployment_has_a_testsuite_per_workload() {
    let out = deployment(&["--format", "junit"]);
    let text = stdout_of(&out);
    let Some(seen) = validate("junit", &text) else {
        return;
    };
    let doc: Value = serde_json::from_slice(&deployment(&["--format", "json"]).stdout).unwrap();
    let workloads = doc["workloads"].as_array().unwrap();
    let suites = seen["suites"].as_array().unwrap();
    assert_eq!(suites.len(), workloads.len() + 1, "{seen}");
    for (suite, w) in suites.iter().zip(workloads) {
        assert_eq!(suite["name"], w["id"]);
        assert_eq!(suite["tests"], w["checks"].as_array().unwrap().len());
    }
    assert_eq!(suites.last().unwrap()["name"], "Across workloads");
    let failures: u64 = suites.iter().map(|s| s["failures"].as_u64().unwrap()).sum();
    assert_eq!(failures, 3, "{seen}");
    let few = stdout_of(&deployment(&[
        "--format",
        "junit",
        "--select",
        "DEP002,DEP006",
    ]));
    validate("junit", &few);
    settings().bind(|| insta::assert_snapshot!("junit_deployment", few));
}

#[test]
fn markdown_for_a_deployment_draws_each_workload_and_parses() {
    let text = stdout_of(&deployment(&["--format", "markdown"]));
    assert!(text.contains("--x|\"✗ DEP002\"|"), "{text}");
    assert!(
        text.contains(
            "`tests/fixtures/k8s/node-local-newline.yaml:90` in `web/Deployment/frontend/frontend`"
        ),
        "{text}"
    );
    if let Some(seen) = mermaid_parses(&text) {
        assert_eq!(seen["diagrams"][0]["type"], "flowchart-v2");
    }
    settings().bind(|| insta::assert_snapshot!("markdown_deployment", text));
}
