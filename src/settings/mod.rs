//! The tracing settings an application would run with: raw variables gathered from the process
//! environment, env files and flags (each remembering where it came from), then resolved by the
//! OpenTelemetry spec rules and the chosen SDK's documented defaults.

pub mod env_file;
mod inputs;
pub mod otlp;
mod sdk;
mod source;

pub use inputs::{Inputs, RawVar};
pub use otlp::{OtlpProtocol, OtlpTraces, Resolved};
pub use sdk::Sdk;
pub use source::Source;

use serde::Serialize;

/// The settings an app would use, with the raw inputs they were resolved from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub inputs: Inputs,
    pub sdk: Sdk,
    /// The OTLP trace exporter's protocol and endpoint.
    pub otlp: OtlpTraces,
}

/// One line of the settings summary shown in reports: the effective value and where it came from.
/// Secret values are already redacted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingLine {
    pub key: String,
    pub value: String,
    pub source: Source,
}

impl Settings {
    pub fn resolve(inputs: Inputs, sdk: Sdk) -> Settings {
        let otlp = OtlpTraces::resolve(&inputs, sdk);
        Settings { inputs, sdk, otlp }
    }

    /// A raw variable's value as the app would read it; empty values count as unset (spec rule).
    pub fn var(&self, name: &str) -> Option<&str> {
        self.inputs
            .get(name)
            .map(|v| v.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// What reports show at the top: every tracing variable that is set, and where it came from.
    pub fn summary(&self) -> Vec<SettingLine> {
        self.inputs
            .iter()
            .map(|v| SettingLine {
                key: v.name.clone(),
                value: v.display_value(),
                source: v.source.clone(),
            })
            .collect()
    }
}
