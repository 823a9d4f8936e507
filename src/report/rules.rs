//! Rules as JSON: one shape for `doctor --list-checks --format json` and `explain --format json`
//! (docs/output.md), whether the rule is a check or a listen diagnosis.

use serde_json::{Map, Value, json};

use super::SCHEMA_VERSION;
use crate::rule::Rule;

/// A rule's identity: id, name, family, severity, title, what it needs, its docs page.
pub fn identity(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.name,
        "family": rule.family,
        "severity": rule.severity,
        "title": rule.title,
        "needs": rule.needs,
        "docs": rule.docs_path(),
    })
}

/// `explain --format json`: the identity and the explanation, versioned.
pub fn explanation(rule: &Rule) -> Value {
    let e = &rule.explanation;
    let mut doc = Map::new();
    doc.insert("schema_version".into(), json!(SCHEMA_VERSION));
    if let Value::Object(identity) = identity(rule) {
        for (k, v) in identity {
            if k != "docs" {
                doc.insert(k, v);
            }
        }
    }
    for (k, v) in [
        ("checks", e.checks),
        ("why", e.why),
        ("fix", e.fix),
        ("example", e.example),
    ] {
        doc.insert(k.into(), json!(v));
    }
    doc.insert("docs".into(), json!(rule.docs_path()));
    Value::Object(doc)
}
