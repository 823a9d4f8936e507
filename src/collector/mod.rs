//! OpenTelemetry Collector (and Jaeger v2) configuration files: parsed with line numbers into the
//! model the `COL` checks reason about.

pub mod components;
pub mod merge;
pub mod model;
pub mod yaml;

pub use model::CollectorConfig;
pub use yaml::SyntaxError;

/// A config file named by `--collector-config`: its name and what parsing it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFile {
    pub file: String,
    pub parsed: Result<CollectorConfig, SyntaxError>,
    /// Variables the config references that are set (non-empty) in tracectl's own environment.
    /// Only names are kept: their values may be secrets.
    pub env_set: Vec<String>,
}

impl ConfigFile {
    /// Parses `text`, the content of `file`.
    pub fn parse(file: &str, text: &str) -> ConfigFile {
        let parsed = yaml::parse(text).map(|root| CollectorConfig::from_yaml(file, &root, text));
        ConfigFile {
            file: file.to_string(),
            parsed,
            env_set: Vec::new(),
        }
    }

    /// Records which referenced variables `lookup` (e.g. the process environment) has set.
    pub fn note_env(&mut self, lookup: impl Fn(&str) -> Option<String>) {
        let Ok(config) = &self.parsed else { return };
        for r in &config.env_refs {
            let set = lookup(&r.var).is_some_and(|v| !v.is_empty());
            if set && !self.env_set.contains(&r.var) {
                self.env_set.push(r.var.clone());
            }
        }
    }

    /// Whether `var` is set, in `settings` or in tracectl's environment.
    pub fn var_is_set(&self, settings: &crate::settings::Settings, var: &str) -> bool {
        settings.var(var).is_some() || self.env_set.iter().any(|v| v == var)
    }
}
