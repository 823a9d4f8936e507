//! The languages the webhook injects and what each adds of its own: Java's `-javaagent` in
//! `JAVA_TOOL_OPTIONS`, Node's `--require` in `NODE_OPTIONS`, Python's path, protocol and
//! exporters, .NET's profiler and startup hook. Go's agent is a sidecar (see `mod.rs`).

use super::inject::{Env, append, wrap};
use crate::deploy::{EnvValue, Location};

/// An `instrumentation.opentelemetry.io/inject-<lang>` language tracectl models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Java,
    NodeJs,
    Python,
    DotNet,
    Go,
    /// `inject-sdk`: only the SDK variables, for apps that carry their own SDK.
    Sdk,
}

/// The languages in the order the webhook injects them.
pub const ALL: [Lang; 6] = [
    Lang::Java,
    Lang::NodeJs,
    Lang::Python,
    Lang::DotNet,
    Lang::Go,
    Lang::Sdk,
];

const PYTHON_PREFIX: &str =
    "/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation";
const PYTHON_SUFFIX: &str = "/otel-auto-instrumentation-python";
const DOTNET: &str = "/otel-auto-instrumentation-dotnet";

impl Lang {
    /// The `<lang>` of the annotation names.
    pub fn annotation(self) -> &'static str {
        match self {
            Lang::Java => "java",
            Lang::NodeJs => "nodejs",
            Lang::Python => "python",
            Lang::DotNet => "dotnet",
            Lang::Go => "go",
            Lang::Sdk => "sdk",
        }
    }

    /// The Instrumentation spec key of its own settings (`spec.<key>.env`).
    pub fn spec_key(self) -> Option<&'static str> {
        (self != Lang::Sdk).then(|| self.annotation())
    }

    /// Variables the webhook rewrites: from `valueFrom`, it skips the container instead.
    pub fn rewritten(self) -> &'static [&'static str] {
        match self {
            Lang::Java => &["JAVA_TOOL_OPTIONS"],
            Lang::NodeJs => &["NODE_OPTIONS"],
            Lang::Python => &["PYTHONPATH"],
            Lang::DotNet => &[
                "DOTNET_STARTUP_HOOKS",
                "DOTNET_ADDITIONAL_DEPS",
                "DOTNET_SHARED_STORE",
            ],
            Lang::Go | Lang::Sdk => &[],
        }
    }

    /// What the language sets right after its own `env` (Python's path).
    pub fn before_common(self, env: &mut Env, at: &Location, default: &str) {
        if self == Lang::Python {
            let prefix = format!("{PYTHON_PREFIX}:");
            let fresh = format!("{PYTHON_PREFIX}:{PYTHON_SUFFIX}");
            let suffix = format!(":{PYTHON_SUFFIX}");
            wrap(env, "PYTHONPATH", (&prefix, &fresh, &suffix), at, default);
        }
    }

    /// The language's variables, added after `spec.env`.
    pub fn defaults(self, env: &mut Env, container: &str, at: &Location, default: &str) {
        let lit = |s: &str| EnvValue::Literal(s.to_string());
        match self {
            Lang::Java => {
                let agent = format!(
                    " -javaagent:/otel-auto-instrumentation-java-{container}/javaagent.jar"
                );
                append(env, "JAVA_TOOL_OPTIONS", &agent, at, default);
            }
            Lang::NodeJs => {
                let require = " --require /otel-auto-instrumentation-nodejs/autoinstrumentation.js";
                append(env, "NODE_OPTIONS", require, at, default);
                env.add("OTEL_METRICS_EXPORTER", lit("otlp"), at, default);
            }
            Lang::Python => {
                env.add(
                    "OTEL_EXPORTER_OTLP_PROTOCOL",
                    lit("http/protobuf"),
                    at,
                    default,
                );
                for name in [
                    "OTEL_TRACES_EXPORTER",
                    "OTEL_METRICS_EXPORTER",
                    "OTEL_LOGS_EXPORTER",
                ] {
                    env.add(name, lit("otlp"), at, default);
                }
            }
            Lang::DotNet => {
                let native = format!("{DOTNET}/linux/OpenTelemetry.AutoInstrumentation.Native.so");
                for (name, value) in [
                    ("CORECLR_ENABLE_PROFILING", "1".to_string()),
                    (
                        "CORECLR_PROFILER",
                        "{918728DD-259F-4A6A-AC2B-B85E1B658318}".into(),
                    ),
                    ("CORECLR_PROFILER_PATH", native),
                    ("OTEL_DOTNET_AUTO_HOME", DOTNET.to_string()),
                ] {
                    env.add(name, lit(&value), at, default);
                }
                for (name, path) in [
                    (
                        "DOTNET_STARTUP_HOOKS",
                        "net/OpenTelemetry.AutoInstrumentation.StartupHook.dll",
                    ),
                    ("DOTNET_ADDITIONAL_DEPS", "AdditionalDeps"),
                    ("DOTNET_SHARED_STORE", "store"),
                ] {
                    let value = format!("{DOTNET}/{path}");
                    wrap(env, name, ("", &value, &format!(":{value}")), at, default);
                }
            }
            Lang::Go | Lang::Sdk => {}
        }
    }
}
