//! Exporter headers: authentication and tenancy headers sent with every export. Values are secrets
//! and never appear in findings.

pub mod malformed;
pub mod quoted;
pub mod traces_replace_generic;

use crate::report::Draft;
use crate::settings::{HeaderProblemKind, Headers, Resolved};

/// One finding per problem of the given kinds, naming the entry but never its value.
pub fn drafts_for(
    headers: &Resolved<Headers>,
    kinds: &[HeaderProblemKind],
    consequence: &str,
    fix: impl Fn(HeaderProblemKind) -> String,
) -> Vec<Draft> {
    let var = headers.var.unwrap_or(crate::settings::otlp::HEADERS);
    headers
        .value
        .problems
        .iter()
        .filter(|p| kinds.contains(&p.kind))
        .map(|p| {
            Draft::new(
                var,
                format!("{var} {}; {consequence}", p.detail),
                fix(p.kind),
            )
            .evidence("variable", var)
            .evidence("source", headers.source.to_string())
            .evidence("entry", p.entry)
            .evidence("headers_parsed", headers.value.headers.len())
        })
        .collect()
}
