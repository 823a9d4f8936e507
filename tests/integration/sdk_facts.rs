//! The SDK facts table (src/settings/sdk.rs, docs/sdk-facts.md) checked row by row against the
//! real SDKs the test command installs: Python's opentelemetry-sdk and Node's
//! @opentelemetry/sdk-node. Rows of SDKs not installed cite their source in the table.

use serde_json::Value;
use tracectl::settings::{Sdk, SdkFacts, TimeUnit};

use crate::support::{peers, tracectl};

fn run(program: &std::path::Path, script: &str) -> Value {
    let out = std::process::Command::new(program)
        .arg(peers::script(script))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("run the SDK facts script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn strings(v: &Value) -> Vec<String> {
    let mut all: Vec<String> = v
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s.as_str().unwrap_or("").to_string())
        .collect();
    all.sort();
    all
}

/// The rows every OTLP SDK shares: default and accepted protocols, case, timeout unit,
/// propagators, endpoint forms.
fn check_common(facts: &SdkFacts, real: &Value) {
    assert_eq!(real["default_protocol"], facts.default_protocol, "{real}");
    let mut accepted: Vec<String> = facts.protocols.iter().map(|p| p.to_string()).collect();
    accepted.sort();
    assert_eq!(strings(&real["protocols"]), accepted, "{real}");
    // Upper-case spellings are never in the accepted list of a case-sensitive SDK.
    assert!(
        facts.protocol_case_sensitive,
        "tested SDKs are case-sensitive"
    );
    let unit = match facts.timeout_unit {
        TimeUnit::Seconds => "s",
        TimeUnit::Milliseconds => "ms",
    };
    assert_eq!(real["timeout_unit"], unit);
    let mut known: Vec<String> = facts
        .propagators
        .iter()
        .filter(|p| **p != "none")
        .map(|p| p.to_string())
        .collect();
    known.sort();
    assert_eq!(strings(&real["propagators"]), known);
    assert_eq!(real["endpoint_base"], "http://c:4318/v1/traces");
    assert_eq!(real["endpoint_signal"], "http://c:4318/custom");
    assert!(facts.endpoint_forms.contains("appends /v1/traces"));
    assert!(facts.endpoint_forms.contains("used as-is"));
}

#[test]
fn the_python_row_is_what_the_python_sdk_does() {
    let Some(python) = peers::python() else {
        return;
    };
    let real = run(&python, "sdk_facts.py");
    let facts = Sdk::Python.facts();
    check_common(&facts, &real);
    let exe = real["executable"].as_str().unwrap();
    assert_eq!(
        facts
            .fallback_service_name
            .replace("<python executable name>", exe),
        real["fallback_service_name"].as_str().unwrap()
    );

    // doctor --sdk python quotes the SDK's own refusal of http/json.
    let refusal = real["refused"]["http/json"].as_str().unwrap().to_string();
    let out = tracectl()
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
        .env("OTEL_SERVICE_NAME", "shop")
        .args([
            "doctor",
            "--offline",
            "--sdk",
            "python",
            "--select",
            "END007",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(&refusal), "{refusal} not in\n{text}");
    let out = tracectl()
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
        .args(["doctor", "--offline", "--sdk", "node", "--select", "END007"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_node_row_is_what_sdk_node_does() {
    if peers::node_modules().is_none() {
        return;
    }
    let real = run(std::path::Path::new("node"), "sdk_facts.js");
    let facts = Sdk::Node.facts();
    check_common(&facts, &real);
    let argv0 = real["argv0"].as_str().unwrap();
    assert_eq!(
        facts
            .fallback_service_name
            .replace("<process.argv0>", argv0),
        real["fallback_service_name"].as_str().unwrap()
    );
}
