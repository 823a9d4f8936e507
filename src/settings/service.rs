//! The `service.name` the backend will see: OTEL_SERVICE_NAME, else `service.name` in
//! OTEL_RESOURCE_ATTRIBUTES, else the SDK's `unknown_service` fallback. JAEGER_SERVICE_NAME is the
//! name when the app is judged as a Jaeger client (`--sdk jaeger…`), else kept for comparison.

use serde::Serialize;

use super::resource::{RESOURCE_ATTRIBUTES, ResourceAttributes};
use super::{Inputs, Resolved, Sdk, Source};

pub const SERVICE_NAME: &str = "OTEL_SERVICE_NAME";
pub const JAEGER_SERVICE_NAME: &str = "JAEGER_SERVICE_NAME";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceName {
    /// The name the backend will see and where it came from.
    pub effective: Resolved<String>,
    /// Whether `effective` is the SDK's `unknown_service` fallback.
    pub fallback: bool,
    /// OTEL_SERVICE_NAME, when set and not empty (whitespace kept).
    pub otel_service_name: Option<Resolved<String>>,
    /// `service.name` in OTEL_RESOURCE_ATTRIBUTES, when it parses and is not empty.
    pub resource_attribute: Option<Resolved<String>>,
    /// JAEGER_SERVICE_NAME, when set and not empty.
    pub jaeger_service_name: Option<Resolved<String>>,
}

impl ServiceName {
    pub fn resolve(
        inputs: &Inputs,
        resource: Option<&Resolved<ResourceAttributes>>,
        sdk: Sdk,
    ) -> ServiceName {
        let raw = |var: &'static str| {
            inputs
                .get(var)
                .filter(|v| !v.value.is_empty())
                .map(|v| Resolved {
                    value: v.value.clone(),
                    var: Some(var),
                    source: v.source.clone(),
                })
        };
        let otel_service_name = raw(SERVICE_NAME);
        let jaeger_service_name = raw(JAEGER_SERVICE_NAME);
        let resource_attribute = resource.and_then(|r| {
            r.value
                .get("service.name")
                .filter(|v| !v.is_empty())
                .map(|v| Resolved {
                    value: v.to_string(),
                    var: Some(RESOURCE_ATTRIBUTES),
                    source: r.source.clone(),
                })
        });
        let configured = if sdk.is_jaeger_client() {
            jaeger_service_name.clone()
        } else {
            otel_service_name
                .clone()
                .or_else(|| resource_attribute.clone())
        };
        let fallback = configured.is_none();
        let effective = configured.unwrap_or_else(|| Resolved {
            value: sdk.fallback_service_name().to_string(),
            var: None,
            source: match sdk {
                Sdk::Spec => Source::SpecDefault,
                _ => Source::SdkDefault { sdk },
            },
        });
        ServiceName {
            effective,
            fallback,
            otel_service_name,
            resource_attribute,
            jaeger_service_name,
        }
    }

    /// Every configured name, in precedence order, for comparisons.
    pub fn configured(&self) -> impl Iterator<Item = &Resolved<String>> {
        [
            &self.otel_service_name,
            &self.resource_attribute,
            &self.jaeger_service_name,
        ]
        .into_iter()
        .flatten()
    }
}

/// Whether a name is an SDK's fallback (`^unknown_service(:.*)?$`).
pub fn is_unknown_service(name: &str) -> bool {
    name.strip_prefix("unknown_service")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    fn service(sdk: Sdk, vars: &[(&str, &str)]) -> ServiceName {
        let mut inputs = Inputs::default();
        for (k, v) in vars {
            inputs.set(*k, *v, Source::Env);
        }
        Settings::resolve(inputs, sdk).service
    }

    #[test]
    fn otel_service_name_wins_over_resource_attribute() {
        let s = service(
            Sdk::Spec,
            &[
                (RESOURCE_ATTRIBUTES, "service.name=attr"),
                (SERVICE_NAME, "env"),
                (JAEGER_SERVICE_NAME, "jaeger"),
            ],
        );
        assert_eq!(s.effective.value, "env");
        assert_eq!(s.configured().count(), 3);
        let s = service(
            Sdk::Spec,
            &[
                (RESOURCE_ATTRIBUTES, "service.name=a%20b"),
                (SERVICE_NAME, ""),
            ],
        );
        assert_eq!(s.effective.value, "a b");
        assert_eq!(s.effective.var, Some(RESOURCE_ATTRIBUTES));
    }

    #[test]
    fn falls_back_per_sdk() {
        let s = service(Sdk::Java, &[(SERVICE_NAME, ""), (JAEGER_SERVICE_NAME, "j")]);
        assert!(s.fallback);
        assert_eq!(s.effective.value, "unknown_service:java");
        assert_eq!(s.effective.source, Source::SdkDefault { sdk: Sdk::Java });
        assert_eq!(
            service(Sdk::Python, &[]).effective.value,
            "unknown_service:<python executable name>"
        );
        let jaeger = service(
            Sdk::Jaeger,
            &[(SERVICE_NAME, "o"), (JAEGER_SERVICE_NAME, "j")],
        );
        assert_eq!(
            (jaeger.effective.value.as_str(), jaeger.fallback),
            ("j", false)
        );
        let broken = service(Sdk::Rust, &[(RESOURCE_ATTRIBUTES, "service.name=x,oops")]);
        assert!(
            broken.fallback,
            "a resource variable with an error is discarded"
        );
    }

    #[test]
    fn recognises_unknown_service_names() {
        assert!(is_unknown_service("unknown_service"));
        assert!(is_unknown_service("unknown_service:java"));
        assert!(!is_unknown_service("unknown_services"));
        assert!(!is_unknown_service("checkout"));
    }
}
