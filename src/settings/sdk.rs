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

impl fmt::Display for Sdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
