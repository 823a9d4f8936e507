//! Helpers the settings checks share: evidence of a setting with its source, and host names
//! recovered from the configuration for exact fixes.

use std::fmt::Display;

use url::Url;

use crate::report::{Draft, Evidence};
use crate::settings::{Resolved, Settings};

/// Adds `KEY=value` and `KEY.source=...` to findings and passing evidence.
pub trait WithSetting: Sized {
    fn fact(self, key: &str, value: impl Into<serde_json::Value>) -> Self;

    /// The setting under its variable's name (or `label` for defaults), then where it came from.
    fn setting<T: Display>(self, label: &str, r: &Resolved<T>) -> Self {
        let key = r.var.unwrap_or(label);
        self.fact(key, r.value.to_string())
            .fact(&format!("{key}.source"), r.source.to_string())
    }
}

impl WithSetting for Draft {
    fn fact(self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.evidence(key, value)
    }
}

impl WithSetting for Evidence {
    fn fact(self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.with(key, value)
    }
}

/// The host a Jaeger setup points at (endpoint, then agent host, from the legacy or the removed
/// OTEL_EXPORTER_JAEGER_* variables), for fixes that move it to OTLP; `jaeger` when none is set.
pub fn jaeger_host(settings: &Settings) -> String {
    let host_of_url = |var: &str| {
        settings
            .var(var)
            .and_then(|v| Url::parse(v.trim()).ok())
            .and_then(|u| u.host_str().map(str::to_string))
    };
    host_of_url("JAEGER_ENDPOINT")
        .or_else(|| host_of_url("OTEL_EXPORTER_JAEGER_ENDPOINT"))
        .or_else(|| {
            settings
                .var("JAEGER_AGENT_HOST")
                .map(|h| h.trim().to_string())
        })
        .or_else(|| {
            settings
                .var("OTEL_EXPORTER_JAEGER_AGENT_HOST")
                .map(|h| h.trim().to_string())
        })
        .unwrap_or_else(|| "jaeger".to_string())
}
