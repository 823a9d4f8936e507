//! The ordered list of every check, the one list of every rule (checks and listen's diagnoses),
//! and lookup by id, name or family.
//!
//! Order matters: reports list checks in this order, whatever order they finish in.

use crate::check_propagation::VERDICTS;
use crate::checks::{self, Check};
use crate::listen::diagnosis::DIAGNOSES;
use crate::rule::Rule;

/// Every check tracectl knows, in report order. Adding a check is one line here.
pub static CHECKS: &[&Check] = &[
    &checks::service_name::unset::CHECK,
    &checks::service_name::unknown_service::CHECK,
    &checks::service_name::assembled::CHECK,
    &checks::service_name::sources_disagree::CHECK,
    &checks::service_name::normalized::CHECK,
    &checks::service_name::resource_attributes::CHECK,
    &checks::exporter::sdk_disabled::CHECK,
    &checks::exporter::exporter_none::CHECK,
    &checks::exporter::exporter_console::CHECK,
    &checks::exporter::exporter_jaeger::CHECK,
    &checks::exporter::exporter_zipkin::CHECK,
    &checks::exporter::propagators::CHECK,
    &checks::exporter::exporter_unknown::CHECK,
    &checks::exporter::propagators_unknown::CHECK,
    &checks::sampler::always_off::CHECK,
    &checks::sampler::ratio_zero::CHECK,
    &checks::sampler::ratio_range::CHECK,
    &checks::sampler::arg_invalid::CHECK,
    &checks::sampler::sampler_unknown::CHECK,
    &checks::endpoint::protocol_port::CHECK,
    &checks::endpoint::non_otlp_port::CHECK,
    &checks::endpoint::signal_path::CHECK,
    &checks::endpoint::doubled_path::CHECK,
    &checks::endpoint::insecure_scheme::CHECK,
    &checks::endpoint::invalid_url::CHECK,
    &checks::endpoint::protocol_invalid::CHECK,
    &checks::endpoint::timeout_units::CHECK,
    &checks::endpoint::tls_files::CHECK,
    &checks::endpoint::client_identity::CHECK,
    &checks::headers::malformed::CHECK,
    &checks::headers::quoted::CHECK,
    &checks::headers::traces_replace_generic::CHECK,
    &checks::jaeger::client_vars::CHECK,
    &checks::jaeger::agent_port::CHECK,
    &checks::jaeger::endpoint_path::CHECK,
    &checks::jaeger::agent_and_endpoint::CHECK,
    &checks::jaeger::removed_exporter_vars::CHECK,
    &checks::reachability::endpoint_reachable::CHECK,
    &checks::reachability::proxy_variables::CHECK,
    &checks::reachability::scan::CHECK,
    &checks::protocol::grpc_endpoint::CHECK,
    &checks::protocol::http_endpoint::CHECK,
    &checks::protocol::tls_match::CHECK,
    &checks::agent::agent_port_open::CHECK,
    &checks::agent::collector_only::CHECK,
    &checks::agent::udp_batch_limit::CHECK,
    &checks::localhost::container_loopback::CHECK,
    &checks::localhost::bound_to_loopback::CHECK,
    &checks::clock::ntp_offset::CHECK,
    &checks::clock::http_date::CHECK,
    &checks::e2e::pipeline::CHECK,
    &checks::collector::config_parses::CHECK,
    &checks::collector::removed_jaeger_exporter::CHECK,
    &checks::collector::receiver_localhost::CHECK,
    &checks::collector::receiver_default_endpoint::CHECK,
    &checks::collector::traces_pipeline::CHECK,
    &checks::collector::component_unused::CHECK,
    &checks::collector::component_undefined::CHECK,
    &checks::collector::signal_mismatch::CHECK,
    &checks::collector::receiver_port_clash::CHECK,
    &checks::collector::exporter_loop::CHECK,
    &checks::collector::env_var_unset::CHECK,
    &checks::collector::app_protocol::CHECK,
    &checks::java::property_beats_env::CHECK,
    &checks::java::unmatched_quote::CHECK,
    &checks::spring::endpoint_path::CHECK,
    &checks::spring::endpoint_missing::CHECK,
    &checks::spring::transport_port::CHECK,
    &checks::spring::sampling_zero::CHECK,
    &checks::spring::ignored_by_agent::CHECK,
    &checks::deploy::input_problem::CHECK,
    &checks::deploy::endpoint_not_a_service::CHECK,
    &checks::deploy::service_port::CHECK,
    &checks::deploy::loopback_in_pod::CHECK,
    &checks::deploy::host_ip_without_host_port::CHECK,
    &checks::deploy::value_whitespace::CHECK,
    &checks::deploy::unresolved_reference::CHECK,
    &checks::deploy::service_name_label::CHECK,
    &checks::deploy::selector_matches_nothing::CHECK,
    &checks::deploy::duplicate_service_name::CHECK,
    &checks::deploy::receiver_mismatch::CHECK,
    &checks::deploy::compose_udp_port::CHECK,
    &checks::deploy::compose_unset_variable::CHECK,
    &checks::deploy::compose_published_port::CHECK,
    &checks::deploy::compose_host_gateway::CHECK,
    &checks::operator::annotation_on_object::CHECK,
    &checks::operator::no_single_instrumentation::CHECK,
    &checks::operator::missing_instrumentation::CHECK,
    &checks::operator::endpoint_protocol::CHECK,
    &checks::operator::envfrom_overridden::CHECK,
    &checks::operator::injection_skipped::CHECK,
    &checks::operator::https_without_tls::CHECK,
    &checks::operator::localhost_without_sidecar::CHECK,
    &checks::operator::sidecar_without_collector::CHECK,
    &checks::mesh::undefined_provider::CHECK,
    &checks::mesh::provider_kind::CHECK,
    &checks::mesh::no_provider::CHECK,
    &checks::mesh::provider_service::CHECK,
    &checks::mesh::sampling_zero::CHECK,
    &checks::mesh::protocol_port::CHECK,
    &checks::mesh::propagation::CHECK,
    &checks::traces::clock_skew::CHECK,
    &checks::traces::child_before_parent::CHECK,
    &checks::traces::single_span_traces::CHECK,
    &checks::traces::orphan_spans::CHECK,
    &checks::traces::zero_parent::CHECK,
    &checks::traces::multiple_roots::CHECK,
    &checks::traces::parent_cycle::CHECK,
    &checks::traces::duplicate_span_id::CHECK,
    &checks::traces::service_unknown::CHECK,
    &checks::traces::service_near_duplicate::CHECK,
];

/// Every rule tracectl reports: doctor's and analyze's checks in registry order, then listen's
/// diagnoses, then check-propagation's verdicts. `explain`, `--list-checks`, the docs pages and the uniqueness tests read this list.
pub fn rules() -> impl Iterator<Item = Rule> {
    CHECKS
        .iter()
        .map(|c| c.rule())
        .chain(DIAGNOSES.iter().map(|d| d.rule()))
        .chain(VERDICTS.iter().map(|v| v.rule()))
}

/// Finds any rule by id (case-insensitive) or name, for `explain`.
pub fn find_rule(key: &str) -> Result<Rule, UnknownCheck> {
    let key = key.trim();
    rules()
        .find(|r| r.id.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
        .ok_or_else(|| UnknownCheck {
            key: key.to_string(),
            suggestion: closest(key, rules().flat_map(|r| [r.id, r.name])),
        })
}

/// Finds a check by id (case-insensitive) or kebab-case name.
pub fn find(key: &str) -> Option<&'static Check> {
    let key = key.trim();
    CHECKS
        .iter()
        .copied()
        .find(|c| c.id.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
}

/// The closest check id or name to an unknown `key`, for "did you mean".
pub fn suggest(key: &str) -> Option<&'static str> {
    closest(key, CHECKS.iter().flat_map(|c| [c.id, c.name]))
}

fn closest(key: &str, candidates: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let key = key.trim().to_ascii_lowercase();
    candidates
        .map(|candidate| {
            let score = strsim::jaro_winkler(&key, &candidate.to_ascii_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// An id, name or family named on the command line that matches no check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown check `{key}`{}; run `tracectl doctor --list-checks` to see them all", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct UnknownCheck {
    pub key: String,
    pub suggestion: Option<&'static str>,
}

/// Resolves one `--select`/`--skip` entry: an id, a name, or a family name (all of its checks).
pub fn resolve(key: &str) -> Result<Vec<&'static Check>, UnknownCheck> {
    if let Some(check) = find(key) {
        return Ok(vec![check]);
    }
    let family: Vec<_> = CHECKS
        .iter()
        .copied()
        .filter(|c| c.family.as_str().eq_ignore_ascii_case(key.trim()))
        .collect();
    if family.is_empty() {
        Err(UnknownCheck {
            key: key.to_string(),
            suggestion: suggest(key),
        })
    } else {
        Ok(family)
    }
}

/// The checks to run: all of them, or only `select` when given, minus `skip`; in registry order.
pub fn selection(select: &[String], skip: &[String]) -> Result<Vec<&'static Check>, UnknownCheck> {
    let selected: Vec<&Check> = if select.is_empty() {
        CHECKS.to_vec()
    } else {
        let mut wanted = Vec::new();
        for key in select {
            wanted.extend(resolve(key)?);
        }
        CHECKS
            .iter()
            .copied()
            .filter(|c| wanted.iter().any(|w| std::ptr::eq(*w, *c)))
            .collect()
    };
    let mut skipped = Vec::new();
    for key in skip {
        skipped.extend(resolve(key)?);
    }
    Ok(selected
        .into_iter()
        .filter(|c| !skipped.iter().any(|s| std::ptr::eq(*s, *c)))
        .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::listen::diagnosis;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for c in rules() {
            assert!(seen.insert(c.id), "duplicate id {}", c.id);
            assert!(seen.insert(c.name), "duplicate name {}", c.name);
            let (letters, digits) = c.id.split_at(c.id.len() - 3);
            assert!(
                letters.len() >= 2 && letters.chars().all(|ch| ch.is_ascii_uppercase()),
                "id {} must be capital letters then 3 digits",
                c.id
            );
            assert!(digits.chars().all(|ch| ch.is_ascii_digit()), "id {}", c.id);
            assert!(
                c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
                    && !c.name.starts_with('-')
                    && !c.name.ends_with('-'),
                "name {} must be kebab-case",
                c.name
            );
        }
    }

    #[test]
    fn every_rule_is_explained() {
        for c in rules() {
            let e = &c.explanation;
            for (part, text) in [
                ("checks", e.checks),
                ("why", e.why),
                ("fix", e.fix),
                ("example", e.example),
            ] {
                assert!(!text.trim().is_empty(), "{} has no `{part}` text", c.id);
            }
            assert!(
                !c.title.is_empty() && !c.title.ends_with('.'),
                "{} title",
                c.id
            );
        }
    }

    #[test]
    fn families_are_contiguous_in_registry_order() {
        let mut closed = HashSet::new();
        let mut current = None;
        for c in CHECKS {
            if current != Some(c.family) {
                assert!(
                    closed.insert(c.family),
                    "family {} appears in two places; keep a family's checks together",
                    c.family
                );
                current = Some(c.family);
            }
        }
    }

    #[test]
    fn the_list_of_ids_is_pinned() {
        let ids: Vec<String> = CHECKS
            .iter()
            .map(|c| format!("{} {}", c.id, c.name))
            .collect();
        insta::assert_snapshot!(ids.join("\n"));
    }

    #[test]
    fn lookup_accepts_id_or_name_in_any_case() {
        let first = CHECKS[0];
        assert!(std::ptr::eq(find(&first.id.to_lowercase()).unwrap(), first));
        assert!(std::ptr::eq(find(first.name).unwrap(), first));
    }

    #[test]
    fn unknown_key_gets_a_suggestion() {
        let first = CHECKS[0];
        let typo = format!("{}x", first.name);
        let err = resolve(&typo).unwrap_err();
        assert_eq!(err.suggestion, Some(first.name));
        assert!(err.to_string().contains("did you mean"));
    }

    /// `tracectl explain KEY` looks a key up among the listen diagnoses first, then among doctor's
    /// checks: a shared id or name would hide one of them.
    #[test]
    fn diagnosis_ids_and_names_never_collide_with_check_ids_or_names() {
        let diagnosis_find = |key: &str| {
            diagnosis::DIAGNOSES
                .iter()
                .find(|d| d.id.eq_ignore_ascii_case(key) || d.name.eq_ignore_ascii_case(key))
        };
        for d in diagnosis::DIAGNOSES {
            for key in [d.id, d.name] {
                if let Some(check) = find(key) {
                    panic!(
                        "{key} (listen {}) is also check {} {}",
                        d.id, check.id, check.name
                    );
                }
            }
        }
        for v in crate::check_propagation::VERDICTS {
            for key in [v.id, v.name] {
                assert!(
                    find(key).is_none(),
                    "{key} (check-propagation) is also a check"
                );
                assert!(
                    diagnosis_find(key).is_none(),
                    "{key} (check-propagation) is also a listen diagnosis"
                );
            }
        }
        for check in CHECKS {
            for key in [check.id, check.name] {
                if let Some(d) = diagnosis_find(key) {
                    panic!(
                        "{key} (check {}) is also listen diagnosis {} {}",
                        check.id, d.id, d.name
                    );
                }
            }
        }
    }
}
