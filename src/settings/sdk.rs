//! The SDK whose documented defaults apply where they differ from the spec.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Sdk {
    /// The OpenTelemetry specification's defaults.
    #[default]
    Spec,
    Go,
    Java,
    Javaagent,
    Python,
    Node,
    Dotnet,
    Rust,
}

impl Sdk {
    pub fn as_str(self) -> &'static str {
        match self {
            Sdk::Spec => "spec",
            Sdk::Go => "go",
            Sdk::Java => "java",
            Sdk::Javaagent => "javaagent",
            Sdk::Python => "python",
            Sdk::Node => "node",
            Sdk::Dotnet => "dotnet",
            Sdk::Rust => "rust",
        }
    }
}

/// How an SDK reads OTEL_EXPORTER_OTLP_TIMEOUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Milliseconds,
    Seconds,
}

impl TimeUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Milliseconds => "ms",
            TimeUnit::Seconds => "s",
        }
    }
}

impl Sdk {
    /// The `service.name` the SDK reports when none is configured (semconv: `unknown_service:`
    /// and the executable name; field guide Part 2 C lists what each SDK does).
    pub fn fallback_service_name(self) -> &'static str {
        match self {
            Sdk::Spec | Sdk::Go => "unknown_service:<executable name>",
            Sdk::Java | Sdk::Javaagent => "unknown_service:java",
            Sdk::Node => "unknown_service:<process.argv0>",
            Sdk::Dotnet => "unknown_service:<process name>",
            Sdk::Python | Sdk::Rust => "unknown_service",
        }
    }

    /// The unit of OTEL_EXPORTER_OTLP_TIMEOUT: milliseconds by the spec, seconds in the Python SDK.
    pub fn timeout_unit(self) -> TimeUnit {
        match self {
            Sdk::Python => TimeUnit::Seconds,
            _ => TimeUnit::Milliseconds,
        }
    }
}

impl fmt::Display for Sdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
