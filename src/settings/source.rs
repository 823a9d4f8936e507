//! Where a setting's value came from.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::Sdk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Source {
    /// A `--set NAME=VALUE` flag.
    Flag,
    /// The process environment.
    Env,
    /// An `--env-file`, at this line.
    EnvFile { path: PathBuf, line: usize },
    /// The OpenTelemetry specification's default.
    SpecDefault,
    /// A default of the selected SDK that differs from the spec.
    SdkDefault { sdk: Sdk },
    /// Read from which variables are set (the SDK when `--sdk` is not given).
    Inferred,
    /// A deployment file (`doctor --k8s`, `--compose`): where the winning definition is written
    /// and how the value arrived (`env`, `envFrom ConfigMap otel-env`, `env_file .env`).
    Deployment {
        file: String,
        line: u32,
        origin: String,
    },
    /// A property the app's runtime reads besides or in place of a variable: a Java system
    /// property (`-Dotel.x=y` in JAVA_TOOL_OPTIONS, `--java-options`), an entry of the Java
    /// agent's configuration file or of a Spring Boot `application.yaml`/`.properties`.
    Property {
        /// `-Dotel.service.name in JAVA_TOOL_OPTIONS (env)`, `otel.service.name in agent.properties`.
        origin: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<Location>,
    },
}

/// A place in an input file: what deployment findings point at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// The file as named on the command line (`-` for standard input), shared by every
    /// location in it.
    pub file: Arc<str>,
    /// 1-based line.
    pub line: u32,
}

impl Location {
    pub fn new(file: impl Into<Arc<str>>, line: u32) -> Location {
        Location {
            file: file.into(),
            line,
        }
    }
}

impl Source {
    /// The file and line this source points at, when it has one (an env file, a deployment
    /// file, a property file).
    pub fn location(&self) -> Option<Location> {
        match self {
            Source::Deployment { file, line, .. } => Some(Location::new(file.as_str(), *line)),
            Source::Property { at, .. } => at.clone(),
            Source::EnvFile { path, line } => Some(Location::new(
                path.display().to_string(),
                u32::try_from(*line).unwrap_or(u32::MAX),
            )),
            _ => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => f.write_str("flag"),
            Source::Env => f.write_str("env"),
            Source::EnvFile { path, line } => write!(f, "{}:{line}", path.display()),
            Source::SpecDefault => f.write_str("default"),
            Source::SdkDefault { sdk } => write!(f, "{sdk} default"),
            Source::Inferred => f.write_str("inferred"),
            Source::Deployment { file, line, origin } => write!(f, "{file}:{line} ({origin})"),
            Source::Property { origin, at: None } => f.write_str(origin),
            Source::Property {
                origin,
                at: Some(at),
            } => write!(f, "{at} ({origin})"),
        }
    }
}
