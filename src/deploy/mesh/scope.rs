//! Which tracing a proxy gets, combined as istiod combines it: `defaultProviders.tracing` first,
//! then the root namespace's selector-less Telemetry, the workload namespace's selector-less
//! Telemetry, then the first Telemetry of that namespace whose selector matches the workload.
//! Later rules override earlier ones field by field (provider, sampling, span reporting).

use super::{At, Mesh, Telemetry};

/// The tracing a scope ends up with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effective<'a> {
    /// The provider name that wins (the first of its rule), where it is written.
    pub provider: Option<&'a At<String>>,
    pub sampling: Option<&'a At<f64>>,
    /// `disableSpanReporting: true` wins.
    pub disabled: bool,
    /// Some Telemetry tracing rule applies (so the Telemetry API, not the legacy tracer, is in
    /// charge).
    pub rules: bool,
}

impl Mesh {
    /// The Telemetry objects that apply to a workload of `namespace` with pod `labels`, in the
    /// order istiod merges them.
    pub fn chain(&self, namespace: &str, labels: &[(String, String)]) -> Vec<&Telemetry> {
        let root = self.root_namespace();
        let wide = |ns: &str| {
            self.telemetries
                .iter()
                .find(|t| t.namespace == ns && t.selector.is_empty() && !t.targeted)
        };
        let mut chain: Vec<&Telemetry> = wide(root).into_iter().collect();
        if namespace != root {
            chain.extend(wide(namespace));
        }
        chain.extend(self.telemetries.iter().find(|t| {
            t.namespace == namespace
                && !t.targeted
                && !t.selector.is_empty()
                && t.selector.iter().all(|pair| labels.contains(pair))
        }));
        chain
    }

    /// The Telemetry objects that shape the scope `telemetry` itself defines: the wider ones
    /// above it, then itself.
    pub fn chain_of<'a>(&'a self, telemetry: &'a Telemetry) -> Vec<&'a Telemetry> {
        let root = self.root_namespace();
        let mut chain: Vec<&Telemetry> = self
            .telemetries
            .iter()
            .filter(|t| {
                t.selector.is_empty()
                    && !t.targeted
                    && (t.namespace == root || t.namespace == telemetry.namespace)
                    && !std::ptr::eq(*t, telemetry)
            })
            .collect();
        chain.sort_by_key(|t| t.namespace != root);
        chain.dedup_by(|a, b| a.namespace == b.namespace);
        if telemetry.namespace == root && telemetry.selector.is_empty() {
            chain.clear();
        }
        chain.push(telemetry);
        chain
    }

    /// The tracing `chain` ends up with.
    pub fn effective<'a>(&'a self, chain: &[&'a Telemetry]) -> Effective<'a> {
        let mut e = Effective {
            provider: self.default_tracing().next(),
            ..Effective::default()
        };
        for rule in chain.iter().flat_map(|t| &t.tracing) {
            e.rules = true;
            if let Some(first) = rule.providers.first() {
                e.provider = Some(first);
            }
            if let Some(sampling) = &rule.sampling {
                e.sampling = Some(sampling);
            }
            if let Some(disabled) = &rule.disabled {
                e.disabled = disabled.value;
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::Location;
    use crate::deploy::mesh::TracingRule;

    fn at<T>(value: T, line: u32) -> At<T> {
        At {
            value,
            at: Location::new("m.yaml", line),
        }
    }

    fn telemetry(ns: &str, name: &str, selector: &[(&str, &str)], rule: TracingRule) -> Telemetry {
        Telemetry {
            namespace: ns.into(),
            name: name.into(),
            at: Location::new("m.yaml", 1),
            selector: selector
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            targeted: false,
            tracing: vec![rule],
        }
    }

    fn rule(provider: Option<&str>, sampling: Option<f64>, line: u32) -> TracingRule {
        TracingRule {
            at: Location::new("m.yaml", line),
            providers: provider
                .map(|p| at(p.to_string(), line))
                .into_iter()
                .collect(),
            sampling: sampling.map(|s| at(s, line)),
            disabled: None,
        }
    }

    fn mesh() -> Mesh {
        Mesh {
            configs: Vec::new(),
            telemetries: vec![
                telemetry("shop", "app", &[("app", "cart")], rule(None, Some(0.0), 30)),
                telemetry(
                    "istio-system",
                    "mesh-default",
                    &[],
                    rule(Some("otel"), Some(10.0), 10),
                ),
                telemetry("shop", "ns", &[], rule(Some("zipkin"), None, 20)),
            ],
            injected_namespaces: Vec::new(),
        }
    }

    #[test]
    fn root_then_namespace_then_workload_override_field_by_field() {
        let m = mesh();
        let labels = vec![("app".to_string(), "cart".to_string())];
        let chain = m.chain("shop", &labels);
        assert_eq!(
            chain.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["mesh-default", "ns", "app"]
        );
        let e = m.effective(&chain);
        assert_eq!(e.provider.map(|p| p.value.as_str()), Some("zipkin"));
        assert_eq!(e.sampling.map(|s| s.at.line), Some(30));
        let other = m.effective(&m.chain("web", &[]));
        assert_eq!(other.provider.map(|p| p.value.as_str()), Some("otel"));
        assert_eq!(other.sampling.map(|s| s.value), Some(10.0));
    }

    #[test]
    fn a_telemetrys_own_scope_includes_the_wider_ones() {
        let m = mesh();
        let chain = m.chain_of(&m.telemetries[0]);
        assert_eq!(
            chain.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["mesh-default", "ns", "app"]
        );
        assert_eq!(m.chain_of(&m.telemetries[1]).len(), 1);
    }
}
