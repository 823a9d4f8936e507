//! What a check hands back: outcomes, findings and their evidence. Plain data, no rendering.

use std::borrow::Cow;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::rule::Severity;
use crate::settings::Location;

/// Ordered key/value facts a check measured. Values keep their JSON type (numbers stay numbers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence(Vec<(Cow<'static, str>, serde_json::Value)>);

impl Evidence {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one fact; keeps insertion order.
    pub fn with(
        mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.push(key, value);
        self
    }

    pub fn push(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<serde_json::Value>) {
        self.0.push((key.into(), value.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Frees the room kept for facts never added.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Rewrites every string value (e.g. to hide a secret a check quoted).
    pub fn map_strings(&mut self, f: impl Fn(&str) -> String) {
        for (_, v) in &mut self.0 {
            if let serde_json::Value::String(s) = v {
                *s = f(s);
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The facts as `key=value` for people: strings unquoted (empty ones as `""`), lists and
    /// objects flattened to text (`[::1]:4318 refused, 127.0.0.1:4318 refused`), never raw JSON.
    pub fn readable(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) if s.is_empty() => format!("{k}=\"\""),
                v => format!("{k}={}", readable(v)),
            })
            .collect()
    }
}

/// One evidence value as text: arrays joined by `, `, an object's values by spaces.
fn readable(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "none".to_string(),
        Value::Array(items) if items.is_empty() => "none".to_string(),
        Value::Array(items) => items.iter().map(readable).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .values()
            .map(readable)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A finding as a check writes it: what it measured and how to fix it. The runner adds the check's
/// identity (id, name, family), the effective severity and the docs link.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The setting or endpoint the finding is about, e.g. `OTEL_EXPORTER_OTLP_ENDPOINT`.
    pub subject: String,
    /// What was measured, one or two plain sentences.
    pub message: String,
    pub evidence: Evidence,
    /// The exact change that fixes it.
    pub fix: String,
    /// Set only when one check reports at two levels (e.g. clock skew: warning, then error).
    pub severity: Option<Severity>,
    /// The file and line to change, for findings about deployment files.
    pub location: Option<Location>,
}

impl Draft {
    pub fn new(
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Draft {
            subject: subject.into(),
            message: message.into(),
            evidence: Evidence::new(),
            fix: fix.into(),
            severity: None,
            location: None,
        }
    }

    pub fn evidence(
        mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.evidence.push(key, value);
        self
    }

    /// Points the finding at a file and line.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// What one check run produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing wrong; the evidence says what was looked at.
    Pass(Evidence),
    /// One or more problems.
    Findings(Vec<Draft>),
    /// The check could not or should not run; the reason says why (most reasons are fixed
    /// sentences, shared rather than copied for each of thousands of workloads).
    Skipped(Cow<'static, str>),
}

impl Outcome {
    /// `Pass` when `drafts` is empty, `Findings` otherwise.
    pub fn from_drafts(drafts: Vec<Draft>, evidence: Evidence) -> Outcome {
        if drafts.is_empty() {
            Outcome::Pass(evidence)
        } else {
            Outcome::Findings(drafts)
        }
    }

    pub fn skip(reason: impl Into<Cow<'static, str>>) -> Outcome {
        Outcome::Skipped(reason.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_serializes_in_insertion_order_with_types() {
        let e = Evidence::new().with("b", 1).with("a", "x");
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"b":1,"a":"x"}"#);
    }

    #[test]
    fn structured_evidence_reads_as_text() {
        let e = Evidence::new()
            .with(
                "connect",
                serde_json::json!([
                    {"addr": "[::1]:4318", "result": {"result": "refused"}},
                    {"addr": "127.0.0.1:4318", "result": {"result": "refused"}}
                ]),
            )
            .with("lines", serde_json::json!([25, 31]))
            .with("empty", "")
            .with("port", 4318);
        assert_eq!(
            e.readable(),
            [
                "connect=[::1]:4318 refused, 127.0.0.1:4318 refused",
                "lines=25, 31",
                "empty=\"\"",
                "port=4318"
            ]
        );
    }

    #[test]
    fn outcome_from_empty_drafts_is_a_pass() {
        assert!(matches!(
            Outcome::from_drafts(vec![], Evidence::new()),
            Outcome::Pass(_)
        ));
    }
}
