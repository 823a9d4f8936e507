//! Enum-like settings (exporters, propagators, sampler) holding values no SDK knows: the spec says
//! an SDK logs a warning and ignores them, so the user's intent is silently lost. Each unknown value
//! gets the closest known one as a "did you mean".

use crate::checks::facts::WithSetting;
use crate::report::{Draft, Evidence, Outcome};
use crate::rule::Severity;
use crate::settings::Resolved;

/// A value no SDK knows, and the known value it most likely meant.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub value: String,
    pub suggestion: Option<&'static str>,
}

/// The known value closest to `value` (case-insensitive), when one is close enough to be a typo.
pub fn closest<'a>(value: &str, known: &[&'a str]) -> Option<&'a str> {
    let value = value.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&value, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The values of `values` that are not in `known`, each with a suggestion.
pub fn unknown_values(values: &[String], known: &[&'static str]) -> Vec<Unknown> {
    values
        .iter()
        .filter(|v| !known.contains(&v.as_str()))
        .map(|v| Unknown {
            value: v.clone(),
            suggestion: closest(v, known),
        })
        .collect()
}

/// "`otpl` (did you mean `otlp`?), `foo`": the unknown values for a message.
pub fn describe(unknown: &[Unknown]) -> String {
    unknown
        .iter()
        .map(|u| match u.suggestion {
            Some(s) => format!("`{}` (did you mean `{s}`?)", u.value),
            None => format!("`{}`", u.value),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `values` with each unknown value replaced by its suggestion or dropped, duplicates removed;
/// `default` when nothing is left.
pub fn corrected(values: &[String], known: &[&'static str], default: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let fixed = if known.contains(&v.as_str()) {
            Some(v.as_str())
        } else {
            closest(v, known)
        };
        if let Some(f) = fixed
            && !out.iter().any(|o| o == f)
        {
            out.push(f.to_string());
        }
    }
    if out.is_empty() {
        out = default.iter().map(|d| d.to_string()).collect();
    }
    out
}

/// What a list setting (OTEL_TRACES_EXPORTER, OTEL_PROPAGATORS) with unknown values gives.
pub struct ListRule {
    pub var: &'static str,
    pub known: &'static [&'static str],
    pub default: &'static [&'static str],
    /// What is lost when no known value is left, e.g. "no span is exported".
    pub when_nothing_left: &'static str,
}

impl ListRule {
    /// One finding naming every unknown value of `list`, or a pass.
    pub fn check(&self, list: &Resolved<Vec<String>>) -> Outcome {
        let joined = list.map(|l| l.join(","));
        let unknown = unknown_values(&list.value, self.known);
        if unknown.is_empty() {
            return Outcome::Pass(Evidence::new().setting(self.var, &joined));
        }
        let left: Vec<&String> = list
            .value
            .iter()
            .filter(|v| self.known.contains(&v.as_str()) && v.as_str() != "none")
            .collect();
        let (consequence, severity) = if left.is_empty() {
            (self.when_nothing_left.to_string(), Severity::Error)
        } else {
            let left: Vec<&str> = left.iter().map(|s| s.as_str()).collect();
            (
                format!("only `{}` is used", left.join(",")),
                Severity::Warning,
            )
        };
        let fix = corrected(&list.value, self.known, self.default);
        let draft = Draft::new(
            self.var,
            format!(
                "{} names {} that no SDK knows: by the spec the SDK logs a warning and ignores \
                 {}, so {consequence}.",
                self.var,
                describe(&unknown),
                if unknown.len() == 1 { "it" } else { "them" }
            ),
            format!("export {}={}", self.var, fix.join(",")),
        )
        .severity(severity)
        .setting(self.var, &joined)
        .evidence(
            "unknown",
            unknown.iter().map(|u| u.value.clone()).collect::<Vec<_>>(),
        );
        Outcome::Findings(vec![draft])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::pipeline::KNOWN_PROPAGATORS;

    #[test]
    fn typos_get_the_closest_known_value() {
        assert_eq!(
            closest("tracecontex", KNOWN_PROPAGATORS),
            Some("tracecontext")
        );
        assert_eq!(closest("B3Multi", KNOWN_PROPAGATORS), Some("b3multi"));
        assert_eq!(closest("zzzzzz", KNOWN_PROPAGATORS), None);
    }

    #[test]
    fn corrected_lists_replace_typos_drop_noise_and_fall_back_to_the_default() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            corrected(
                &list(&["tracecontex", "qqqq", "tracecontext"]),
                KNOWN_PROPAGATORS,
                &["x"]
            ),
            ["tracecontext"]
        );
        assert_eq!(
            corrected(&list(&["qqqq"]), KNOWN_PROPAGATORS, &["a", "b"]),
            ["a", "b"]
        );
    }
}
