//! Raw tracing variables and where each came from. Later sources override earlier ones:
//! process environment, then env files in order, then `--set` flags.

use super::secret::{redact, redact_urls};
use super::{Resolved, Source};

/// Variables an app reads for tracing: anything with these prefixes.
const PREFIXES: &[&str] = &["OTEL_", "JAEGER_"];

/// Variables whose values are secrets and are never shown in full.
pub fn is_secret(name: &str) -> bool {
    name.ends_with("_HEADERS")
        || name.ends_with("_PASSWORD")
        || name.ends_with("_AUTH_TOKEN")
        || name.ends_with("_API_KEY")
}

/// Spring Boot's tracing properties in their environment form (`MANAGEMENT_OTLP_TRACING_ENDPOINT`).
pub fn is_spring_var(name: &str) -> bool {
    [
        "MANAGEMENT_OTLP_TRACING_",
        "MANAGEMENT_OPENTELEMETRY_",
        "MANAGEMENT_TRACING_",
        "MANAGEMENT_ZIPKIN_TRACING_",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

pub fn is_tracing_var(name: &str) -> bool {
    PREFIXES.iter().any(|p| name.starts_with(p))
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawVar {
    pub name: String,
    pub value: String,
    pub source: Source,
    /// Something the reader should know about how this value was read (e.g. literal quotes kept).
    pub note: Option<String>,
    /// The value comes from a secret store (a Kubernetes Secret): never shown in full.
    pub secret: bool,
}

impl RawVar {
    /// The value as reports may show it: secrets and URL passwords redacted.
    pub fn display_value(&self) -> String {
        if self.secret || is_secret(&self.name) {
            redact(&self.value)
        } else {
            redact_urls(&self.value).into_owned()
        }
    }
}

/// The raw variables, sorted by name, one entry per name (the winning source).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    vars: Vec<RawVar>,
    /// The JVM's options, when any carrier of them was read ([`super::java::apply`]).
    pub jvm: Option<super::java::Jvm>,
}

impl Inputs {
    /// Sets or overrides one variable; the latest call wins.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>, source: Source) {
        self.set_noted(name, value, source, None);
    }

    /// Like [`Inputs::set`], with a note shown next to the value in reports.
    pub fn set_noted(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        source: Source,
        note: Option<String>,
    ) {
        let var = RawVar {
            name: name.into(),
            value: value.into(),
            source,
            note,
            secret: false,
        };
        match self.vars.binary_search_by(|v| v.name.cmp(&var.name)) {
            Ok(i) => self.vars[i] = var,
            Err(i) => self.vars.insert(i, var),
        }
    }

    /// Like [`Inputs::set`], for a value read from a secret store: never shown in full.
    pub fn set_secret(&mut self, name: &str, value: &str, source: Source) {
        self.set(name, value, source);
        if let Ok(i) = self.vars.binary_search_by(|v| v.name.as_str().cmp(name)) {
            self.vars[i].secret = true;
        }
    }

    /// Takes every tracing variable and JVM options variable from an environment listing (e.g. `std::env::vars_os()`).
    pub fn add_env<I, K, V>(&mut self, vars: I)
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<std::ffi::OsString>,
        V: Into<std::ffi::OsString>,
    {
        for (k, v) in vars {
            let (k, v) = (k.into(), v.into());
            let Some(name) = k.to_str() else { continue };
            if is_tracing_var(name) || super::java::is_options_var(name) || is_spring_var(name) {
                self.set(name, v.to_string_lossy(), Source::Env);
            }
        }
    }

    /// Sets every variable of `other` over these (for `--env-file` and `--set` over a workload).
    pub fn extend(&mut self, other: &Inputs) {
        for v in &other.vars {
            self.set_noted(
                v.name.clone(),
                v.value.clone(),
                v.source.clone(),
                v.note.clone(),
            );
        }
        if other.jvm.is_some() {
            self.jvm.clone_from(&other.jvm);
        }
    }

    pub fn get(&self, name: &str) -> Option<&RawVar> {
        self.vars
            .binary_search_by(|v| v.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.vars[i])
    }

    /// The first of `vars` that is set and not blank, as written, with its name and source: the
    /// one way settings read "this variable, else that one" (docs/settings.md).
    pub fn first_set(&self, vars: &[&'static str]) -> Option<Resolved<String>> {
        vars.iter().find_map(|&var| {
            let raw = self.get(var).filter(|v| !v.value.trim().is_empty())?;
            Some(Resolved {
                value: raw.value.clone(),
                var: Some(var),
                source: raw.source.clone(),
            })
        })
    }

    /// Every variable, sorted by name.
    pub fn all(&self) -> impl Iterator<Item = &RawVar> {
        self.vars.iter()
    }

    /// The tracing (OTEL_*/JAEGER_*) variables, for the settings summary. Other variables read
    /// from env files or `--set` are only looked up by name ([`Inputs::get`]).
    pub fn tracing_vars(&self) -> impl Iterator<Item = &RawVar> {
        self.vars.iter().filter(|v| is_tracing_var(&v.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_sources_override_earlier_ones() {
        let mut inputs = Inputs::default();
        inputs.add_env([("OTEL_SERVICE_NAME", "env"), ("PATH", "/bin")]);
        inputs.set("OTEL_SERVICE_NAME", "flag", Source::Flag);
        let v = inputs.get("OTEL_SERVICE_NAME").unwrap();
        assert_eq!((v.value.as_str(), &v.source), ("flag", &Source::Flag));
        assert!(inputs.get("PATH").is_none());
    }

    #[test]
    fn first_set_skips_unset_and_blank_variables() {
        let mut inputs = Inputs::default();
        inputs.set("A", " ", Source::Env);
        inputs.set("C", "c", Source::Flag);
        let r = inputs.first_set(&["A", "B", "C"]).unwrap();
        assert_eq!(
            (r.value.as_str(), r.var, r.source),
            ("c", Some("C"), Source::Flag)
        );
        assert!(inputs.first_set(&["A", "B"]).is_none());
    }

    #[test]
    fn header_values_are_redacted_for_display() {
        let mut inputs = Inputs::default();
        inputs.set(
            "OTEL_EXPORTER_OTLP_HEADERS",
            "authorization=Bearer s3cr3t-token-value",
            Source::Env,
        );
        let shown = inputs
            .get("OTEL_EXPORTER_OTLP_HEADERS")
            .unwrap()
            .display_value();
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}
