//! Helpers the settings checks share: evidence of a setting with its source, and host names
//! recovered from the configuration for exact fixes.

use std::borrow::Cow;
use std::fmt::Display;

use crate::report::{Draft, Evidence};
use crate::settings::{Resolved, Settings};

/// Adds `KEY=value` and `KEY.source=...` to findings and passing evidence.
pub trait WithSetting: Sized {
    fn fact(self, key: impl Into<Cow<'static, str>>, value: impl Into<serde_json::Value>) -> Self;

    /// The setting under its variable's name (or `label` for defaults), then where it came from.
    fn setting<T: Display>(self, label: &'static str, r: &Resolved<T>) -> Self {
        let key = r.var.unwrap_or(label);
        self.fact(key, r.value.to_string())
            .fact(format!("{key}.source"), r.source.to_string())
    }
}

impl WithSetting for Draft {
    fn fact(self, key: impl Into<Cow<'static, str>>, value: impl Into<serde_json::Value>) -> Self {
        self.evidence(key, value)
    }
}

impl WithSetting for Evidence {
    fn fact(self, key: impl Into<Cow<'static, str>>, value: impl Into<serde_json::Value>) -> Self {
        self.with(key, value)
    }
}

/// The host a Jaeger setup points at (endpoint, then agent host, read as docs/settings.md says),
/// for fixes that move it to OTLP; `jaeger` when none is set.
pub fn jaeger_host(settings: &Settings) -> String {
    settings
        .jaeger
        .location
        .host()
        .unwrap_or_else(|| "jaeger".to_string())
}
