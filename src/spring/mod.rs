//! Spring Boot's own tracing settings (Micrometer Tracing, no agent): `management.otlp.tracing.*`
//! (Spring Boot 3), `management.opentelemetry.tracing.export.otlp.*` (Spring Boot 4) and
//! `management.tracing.*`, read with Spring's precedence and relaxed binding from
//! `application.yaml`/`.properties` files (later files win), their environment-variable form
//! (`MANAGEMENT_OTLP_TRACING_ENDPOINT`) and Java system properties (`-Dmanagement.…`), each value
//! with where it came from.

pub mod files;

use crate::settings::secret::{redact, redact_urls};
use crate::settings::{Inputs, Location, Source};

/// The endpoint properties: Spring Boot 3, then Spring Boot 4.
pub const ENDPOINT: &[&str] = &[
    "management.otlp.tracing.endpoint",
    "management.opentelemetry.tracing.export.otlp.endpoint",
];
/// The transport properties (`http`, the default, or `grpc`).
pub const TRANSPORT: &[&str] = &[
    "management.otlp.tracing.transport",
    "management.opentelemetry.tracing.export.otlp.transport",
];
/// The sampling probability (Spring's default is 0.1).
pub const PROBABILITY: &str = "management.tracing.sampling.probability";
/// Whether tracing is on at all (default true).
pub const ENABLED: &[&str] = &[
    "management.tracing.enabled",
    "management.tracing.export.enabled",
];
/// The Zipkin exporter's endpoint: another way Spring exports spans.
pub const ZIPKIN: &str = "management.zipkin.tracing.endpoint";

/// The prefixes of the properties this module reads (and of their environment form).
const PREFIXES: &[&str] = &[
    "management.otlp.tracing.",
    "management.opentelemetry.",
    "management.tracing.",
    "management.zipkin.tracing.",
    "otel.",
];

/// One Spring property as Spring binds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The key as written (`management.otlp.tracing.endpoint`, `MANAGEMENT_OTLP_TRACING_ENDPOINT`
    /// for the environment).
    pub key: String,
    pub value: String,
    pub source: Source,
    /// Read from an application file (not the environment or a system property).
    pub from_file: bool,
}

impl Property {
    /// The value as reports may show it: header values are secrets, URL passwords hidden.
    pub fn shown(&self) -> String {
        if bound_key(&self.key).contains(".headers") {
            redact(&self.value)
        } else {
            redact_urls(&self.value).into_owned()
        }
    }
}

/// An application file given to tracectl.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub name: String,
    pub text: String,
}

/// Spring's tracing properties, the winning definition of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spring {
    properties: Vec<Property>,
    /// Files that were given, in order (so "no endpoint" can name them).
    pub files: Vec<String>,
}

/// The relaxed-binding form of a key: lower case, dashes and underscores dropped within each
/// segment (`management.otlp.tracing.connect-timeout` and `connectTimeout` match).
pub fn canonical(key: &str) -> String {
    key.split('.')
        .map(|s| {
            s.chars()
                .filter(|c| *c != '-' && *c != '_')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The property an environment variable binds to (`MANAGEMENT_OTLP_TRACING_ENDPOINT` →
/// `management.otlp.tracing.endpoint`), for the variables this module reads.
pub fn env_key(name: &str) -> Option<String> {
    let key = name.to_ascii_lowercase().replace('_', ".");
    (key.starts_with("management.") && read(&key)).then_some(key)
}

fn read(key: &str) -> bool {
    let key = canonical(key);
    PREFIXES.iter().any(|p| key.starts_with(&canonical(p)))
}

impl Spring {
    /// Resolves from the files (lowest, later files winning), the environment variables in
    /// `inputs`, then the JVM's system properties (highest), as Spring Boot orders them. Gives
    /// `None` when none of them sets a tracing property and no file is given. A file that cannot
    /// be parsed is an error naming it.
    pub fn resolve(files: &[File], inputs: &Inputs) -> Result<Option<Spring>, String> {
        Ok(Spring::from_files(files)?.with_inputs(inputs))
    }

    /// The properties of the application files alone (later files winning); a file that cannot
    /// be parsed is an error naming it. Parsed once, then given each app's environment with
    /// [`Spring::with_inputs`].
    pub fn from_files(files: &[File]) -> Result<Spring, String> {
        let mut spring = Spring::default();
        for file in files {
            let entries =
                files::parse(&file.name, &file.text).map_err(|e| format!("{}: {e}", file.name))?;
            for e in entries.into_iter().filter(|e| read(&e.key)) {
                let source = Source::Property {
                    origin: "Spring application file".to_string(),
                    at: Some(Location::new(file.name.clone(), e.line)),
                };
                spring.set(e.key, e.value, source, true);
            }
            spring.files.push(file.name.clone());
        }
        Ok(spring)
    }

    /// These properties with the environment variables of `inputs`, then the JVM's system
    /// properties, over them; `None` when nothing sets a tracing property and no file was given.
    pub fn with_inputs(mut self, inputs: &Inputs) -> Option<Spring> {
        let spring = &mut self;
        for v in inputs.all() {
            if env_key(&v.name).is_some() {
                spring.set(v.name.clone(), v.value.clone(), v.source.clone(), false);
            }
        }
        if let Some(jvm) = &inputs.jvm {
            for p in jvm
                .properties
                .iter()
                .filter(|p| p.key.starts_with("management."))
            {
                if read(&p.key) {
                    spring.set(p.key.clone(), p.value.clone(), p.source.clone(), false);
                }
            }
        }
        (!self.properties.is_empty() || !self.files.is_empty()).then_some(self)
    }

    fn set(&mut self, key: String, value: String, source: Source, from_file: bool) {
        let bound = bound_key(&key);
        let property = Property {
            key,
            value,
            source,
            from_file,
        };
        match self
            .properties
            .iter()
            .position(|p| bound_key(&p.key) == bound)
        {
            Some(i) => self.properties[i] = property,
            None => self.properties.push(property),
        }
    }

    /// The winning definition of `key` (any spelling).
    pub fn get(&self, key: &str) -> Option<&Property> {
        let bound = bound_key(key);
        self.properties.iter().find(|p| bound_key(&p.key) == bound)
    }

    /// The first of `keys` that is set.
    pub fn first(&self, keys: &[&str]) -> Option<&Property> {
        keys.iter().find_map(|k| self.get(k))
    }

    /// Every property, in the order first seen.
    pub fn properties(&self) -> &[Property] {
        &self.properties
    }

    /// Whether tracing is switched off (`management.tracing.enabled=false`).
    pub fn disabled(&self) -> bool {
        ENABLED
            .iter()
            .filter_map(|k| self.get(k))
            .any(|p| p.value.trim().eq_ignore_ascii_case("false"))
    }

    /// The transport: `grpc` when set so, else `http` (Spring's default).
    pub fn transport(&self) -> (String, Option<&Property>) {
        match self.first(TRANSPORT) {
            Some(p) => (p.value.trim().to_ascii_lowercase(), Some(p)),
            None => ("http".to_string(), None),
        }
    }
}

/// The key an environment variable or a file key binds to: canonical, with the environment's
/// `_` separators read as `.`.
pub fn bound_key(key: &str) -> String {
    if key.contains('.') {
        canonical(key)
    } else {
        key.to_ascii_lowercase().replace('_', ".")
    }
}

#[cfg(test)]
mod tests;
