//! SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one rule per check the run
//! selected, one result per finding at its file:line (relative to the working directory) or at a
//! logical place (a variable, an endpoint), with a fingerprint that is stable across runs.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::locate::{Where, locate, workload_of};
use super::{CheckResult, Finding, Report};
use crate::rule::{Rule, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the SARIF log. `rules` supplies each check's explanation (the report carries only its
/// identity); `base` is the directory file locations are made relative to.
pub fn render(report: &Report, rules: &[Rule], base: &Path, out: &mut dyn Write) -> io::Result<()> {
    // Every check that ran, once, in registry order (a `--k8s` run repeats them per workload).
    let mut checks: Vec<&CheckResult> = Vec::new();
    for c in report
        .workloads
        .iter()
        .flat_map(|w| &w.checks)
        .chain(&report.checks)
    {
        if !checks.iter().any(|seen| seen.id == c.id) {
            checks.push(c);
        }
    }
    checks.sort_by_key(|c| {
        rules
            .iter()
            .position(|r| r.id == c.id)
            .unwrap_or(usize::MAX)
    });
    let descriptors: Vec<Value> = checks
        .iter()
        .map(|c| descriptor(c, rules.iter().find(|r| r.id == c.id)))
        .collect();
    let results: Vec<Value> = report
        .findings()
        .map(|f| {
            let index = checks.iter().position(|c| c.id == f.id).unwrap_or_default();
            result(report, f, index, base)
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": descriptors,
            }},
            "automationDetails": { "id": format!("{}/{}/", report.tool.name, report.command) },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "command": report.command,
                "failOn": report.fail_on,
                "failed": report.failed,
                "summary": report.summary,
            },
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// `error`, `warning` or `note`: SARIF's names for tracectl's severities.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The reportingDescriptor of one check.
fn descriptor(check: &CheckResult, rule: Option<&Rule>) -> Value {
    let mut d = json!({
        "id": check.id,
        "name": check.name,
        "shortDescription": { "text": check.title },
        "properties": { "tags": ["tracing", check.family.as_str()], "family": check.family },
    });
    if let Some(rule) = rule {
        let e = &rule.explanation;
        d["fullDescription"] = json!({ "text": e.checks });
        d["help"] = json!({
            "text": format!("{}\n\nWhy: {}\n\nFix: {}\n\nDocs: {}", e.checks, e.why, e.fix, rule.docs_path()),
            "markdown": format!(
                "{}\n\n**Why.** {}\n\n**Fix.** {}\n\n```\n{}\n```\n\nDocs: `{}` · `tracectl explain {}`",
                e.checks, e.why, e.fix, e.example.trim_end(), rule.docs_path(), rule.id
            ),
        });
        d["defaultConfiguration"] = json!({ "level": level(rule.severity) });
        if let Some(uri) = help_uri(rule) {
            d["helpUri"] = json!(uri);
        }
    }
    d
}

/// The rule's docs page in the repository, when the crate names its repository.
fn help_uri(rule: &Rule) -> Option<String> {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repository.is_empty()).then(|| format!("{repository}/blob/main/{}", rule.docs_path()))
}

fn result(report: &Report, f: &Finding, rule_index: usize, base: &Path) -> Value {
    let place = locate(report, f, base);
    let mut location = match &place {
        Where::File(p) => {
            let mut region = json!({ "startLine": p.line.max(1) });
            if let Some(column) = p.column {
                region["startColumn"] = json!(column.max(1));
            }
            let mut artifact = json!({ "uri": uri_of(&p.file) });
            if !Path::new(&p.file).is_absolute() {
                artifact["uriBaseId"] = json!("%SRCROOT%");
            }
            json!({ "physicalLocation": { "artifactLocation": artifact, "region": region } })
        }
        Where::Logical { name, kind } => json!({
            "logicalLocations": [{ "name": name, "kind": kind, "fullyQualifiedName": format!("{kind}:{name}") }],
        }),
    };
    let workload = workload_of(report, f);
    if let (Some(w), Where::File(_)) = (workload, &place) {
        location["logicalLocations"] = json!([{ "name": w.id, "kind": "module", "fullyQualifiedName": format!("workload:{}", w.id) }]);
    }
    json!({
        "ruleId": f.id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": format!("{}: {}\nFix: {}", f.subject, f.message, f.fix) },
        "locations": [location],
        "partialFingerprints": {
            "tracectlFinding/v1": fingerprint(f, &place, workload.map_or("", |w| w.id.as_str())),
        },
        "properties": { "subject": f.subject, "fix": f.fix, "evidence": f.evidence, "docs": f.docs },
    })
}

/// A hash of what identifies a finding across runs: the check, the workload, the file (not the
/// line, which moves as the file is edited) and the subject without its `file:line` prefix.
fn fingerprint(f: &Finding, place: &Where, workload: &str) -> String {
    let (file, subject) = match place {
        Where::File(p) => {
            let rest = f
                .subject
                .split_once(' ')
                .filter(|(head, _)| head.contains(&format!(":{}", p.line)))
                .map_or(f.subject.as_str(), |(_, rest)| rest);
            (p.file.as_str(), rest)
        }
        Where::Logical { .. } => ("", f.subject.as_str()),
    };
    let parts: &[&str] = match workload {
        "" => &[f.id, file, subject],
        w => &[f.id, w, file, subject],
    };
    format!("{:016x}", fnv1a(parts))
}

/// FNV-1a over the parts, each followed by a zero byte: stable across Rust versions and runs.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|p| p.bytes().chain([0])) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A relative or absolute path as a URI reference: `/`-separated, reserved bytes escaped.
fn uri_of(path: &str) -> String {
    let mut uri = String::new();
    if Path::new(path).is_absolute() && !path.starts_with('/') {
        uri.push_str("file:///");
    } else if path.starts_with('/') {
        uri.push_str("file://");
    }
    for byte in path.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte))
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_of("deploy/app env.env"), "deploy/app%20env.env");
        assert_eq!(uri_of("/etc/app.env"), "file:///etc/app.env");
    }

    #[test]
    fn fingerprints_depend_on_every_part() {
        assert_ne!(fnv1a(&["a", "bc"]), fnv1a(&["ab", "c"]));
        assert_eq!(fnv1a(&[""]), fnv1a(&[""]));
        assert_eq!(format!("{:016x}", fnv1a(&[])), "cbf29ce484222325");
    }
}
