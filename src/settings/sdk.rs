//! The SDK (or legacy Jaeger client) whose documented defaults apply where they differ from the
//! spec, and one table of facts per SDK with its source (docs/sdk-facts.md is the same table).

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
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
    /// A legacy Jaeger client, by what the Go, Java and Node clients share.
    Jaeger,
    JaegerGo,
    JaegerJava,
    JaegerPython,
    JaegerNode,
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

/// What one SDK does by default and accepts, with where that was read.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Facts {
    /// The exporter protocol used when none is configured.
    pub default_protocol: &'static str,
    /// Every value of OTEL_EXPORTER_OTLP_PROTOCOL the SDK accepts (Jaeger clients: their senders).
    pub protocols: &'static [&'static str],
    /// The `service.name` reported when none is configured.
    pub fallback_service_name: &'static str,
    /// The variable that names the service.
    pub service_name_var: Option<&'static str>,
    pub timeout_unit: TimeUnit,
    /// Whether OTEL_EXPORTER_OTLP_PROTOCOL must be written exactly (`GRPC` is refused).
    pub protocol_case_sensitive: bool,
    /// The propagators the SDK knows by name (OTEL_PROPAGATORS or JAEGER_PROPAGATION).
    pub propagators: &'static [&'static str],
    /// The endpoint forms the SDK accepts.
    pub endpoint_forms: &'static str,
    /// Where each fact was read.
    pub source: &'static str,
}

const OTLP_ALL: &[&str] = &["grpc", "http/protobuf", "http/json"];
const OTLP_NO_JSON: &[&str] = &["grpc", "http/protobuf"];
const SPEC_PROPAGATORS: &[&str] = &[
    "tracecontext",
    "baggage",
    "b3",
    "b3multi",
    "jaeger",
    "xray",
    "ottrace",
    "none",
];
const OTLP_FORMS: &str = "OTEL_EXPORTER_OTLP_ENDPOINT base URL (SDK appends /v1/traces for HTTP); \
                          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT used as-is";
const JAEGER_SENDERS: &[&str] = &["udp/thrift.compact", "http/thrift.binary"];
const JAEGER_PROPAGATION: &[&str] = &["jaeger", "b3", "w3c"];
const JAEGER_FORMS: &str = "JAEGER_AGENT_HOST + JAEGER_AGENT_PORT (UDP); JAEGER_ENDPOINT, a full \
                            collector URL ending in /api/traces (HTTP; wins over the agent)";

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
            Sdk::Jaeger => "jaeger",
            Sdk::JaegerGo => "jaeger-go",
            Sdk::JaegerJava => "jaeger-java",
            Sdk::JaegerPython => "jaeger-python",
            Sdk::JaegerNode => "jaeger-node",
        }
    }

    /// Whether this is a legacy Jaeger client (reads JAEGER_*, ignores OTEL_*).
    pub fn is_jaeger_client(self) -> bool {
        matches!(
            self,
            Sdk::Jaeger | Sdk::JaegerGo | Sdk::JaegerJava | Sdk::JaegerPython | Sdk::JaegerNode
        )
    }

    /// The Jaeger agent port the client sends to by default: 6832 (binary thrift) for Node's
    /// jaeger-client, 6831 (compact thrift) for the others.
    pub fn jaeger_agent_port(self) -> u16 {
        match self {
            Sdk::Node | Sdk::JaegerNode => 6832,
            _ => 6831,
        }
    }

    /// Whether the Jaeger client reads JAEGER_ENDPOINT (Python's jaeger-client does not: it
    /// only sends to an agent over UDP).
    pub fn reads_jaeger_endpoint(self) -> bool {
        self != Sdk::JaegerPython
    }

    /// The `service.name` the SDK reports when none is configured (semconv: `unknown_service:`
    /// and the executable name; a Jaeger client refuses to build a tracer without one).
    pub fn fallback_service_name(self) -> &'static str {
        self.facts().fallback_service_name
    }

    /// The unit of OTEL_EXPORTER_OTLP_TIMEOUT: milliseconds by the spec, seconds in the Python SDK.
    pub fn timeout_unit(self) -> TimeUnit {
        self.facts().timeout_unit
    }

    /// Whether the SDK accepts this OTEL_EXPORTER_OTLP_PROTOCOL value as written.
    pub fn accepts_protocol(self, protocol: &str) -> bool {
        let facts = self.facts();
        let value = protocol.trim();
        self.is_jaeger_client()
            || facts.protocols.iter().any(|p| {
                if facts.protocol_case_sensitive {
                    *p == value
                } else {
                    p.eq_ignore_ascii_case(value)
                }
            })
    }

    /// The SDK's facts table (docs/sdk-facts.md).
    pub fn facts(self) -> Facts {
        let otel = |default_protocol, fallback_service_name, source| Facts {
            default_protocol,
            protocols: OTLP_ALL,
            fallback_service_name,
            service_name_var: Some("OTEL_SERVICE_NAME"),
            timeout_unit: TimeUnit::Milliseconds,
            protocol_case_sensitive: false,
            propagators: SPEC_PROPAGATORS,
            endpoint_forms: OTLP_FORMS,
            source,
        };
        let jaeger = |default_protocol, service_name_var, source| Facts {
            default_protocol,
            protocols: JAEGER_SENDERS,
            fallback_service_name: "(none: the client refuses to create a tracer)",
            service_name_var,
            timeout_unit: TimeUnit::Milliseconds,
            protocol_case_sensitive: false,
            propagators: JAEGER_PROPAGATION,
            endpoint_forms: JAEGER_FORMS,
            source,
        };
        match self {
            Sdk::Spec => otel(
                "http/protobuf",
                "unknown_service:<executable name>",
                "opentelemetry-specification protocol/exporter.md, resource semconv",
            ),
            Sdk::Go => otel(
                "http/protobuf",
                "unknown_service:<executable name>",
                "opentelemetry-go sdk/resource/builtin.go; contrib exporters/autoexport",
            ),
            Sdk::Java => otel(
                "grpc",
                "unknown_service:java",
                "opentelemetry-java OtlpConfigUtil, ResourceConfiguration",
            ),
            Sdk::Javaagent => otel(
                "http/protobuf",
                "unknown_service:java",
                "opentelemetry-java-instrumentation v2.0.0 (PR #9993)",
            ),
            Sdk::Python => Facts {
                protocols: OTLP_NO_JSON,
                protocol_case_sensitive: true,
                propagators: &[
                    "tracecontext",
                    "baggage",
                    "b3",
                    "b3multi",
                    "jaeger",
                    "xray",
                    "xray-lambda",
                    "none",
                ],
                timeout_unit: TimeUnit::Seconds,
                ..otel(
                    "grpc",
                    "unknown_service:<python executable name>",
                    "opentelemetry-sdk 1.45.2 _configuration/__init__.py, resources/__init__.py; \
                     opentelemetry-exporter-otlp-proto-grpc 1.45.2 exporter.py (tested)",
                )
            },
            Sdk::Node => Facts {
                protocol_case_sensitive: true,
                propagators: &["tracecontext", "baggage", "b3", "b3multi", "jaeger", "none"],
                ..otel(
                    "http/protobuf",
                    "unknown_service:<process.argv0>",
                    "@opentelemetry/sdk-node 0.223.0 build/src/utils.js, @opentelemetry/resources \
                     default-service-name (tested)",
                )
            },
            Sdk::Dotnet => otel(
                "grpc",
                "unknown_service:<process name>",
                "opentelemetry-dotnet OtlpExportProtocol (Grpc = 0, default), ResourceBuilder",
            ),
            Sdk::Rust => otel(
                "http/protobuf",
                "unknown_service",
                "opentelemetry-rust opentelemetry-otlp Cargo.toml defaults, SdkProvidedResourceDetector",
            ),
            Sdk::Jaeger => jaeger(
                "udp/thrift.compact",
                Some("JAEGER_SERVICE_NAME"),
                "what jaeger-client-go, -java and -node share (rows below)",
            ),
            Sdk::JaegerGo => jaeger(
                "udp/thrift.compact",
                Some("JAEGER_SERVICE_NAME"),
                "jaeger-client-go config/config_env.go, README (env variables)",
            ),
            Sdk::JaegerJava => jaeger(
                "udp/thrift.compact",
                Some("JAEGER_SERVICE_NAME"),
                "jaeger-client-java jaeger-core Configuration.java (fromEnv)",
            ),
            Sdk::JaegerPython => Facts {
                protocols: &["udp/thrift.compact"],
                endpoint_forms: "JAEGER_AGENT_HOST + JAEGER_AGENT_PORT (UDP) only; JAEGER_ENDPOINT is not read",
                ..jaeger(
                    "udp/thrift.compact",
                    None,
                    "jaeger-client 4.8.0 (PyPI) jaeger_client/config.py (tested): the service name \
                     is a Config argument, not a variable",
                )
            },
            Sdk::JaegerNode => Facts {
                protocols: &["udp/thrift.binary", "http/thrift.binary"],
                ..jaeger(
                    "udp/thrift.binary",
                    Some("JAEGER_SERVICE_NAME"),
                    "jaeger-client 3.19.0 (npm) src/configuration_env.js, src/reporters/udp_sender.js (tested)",
                )
            },
        }
    }
}

impl fmt::Display for Sdk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn every_sdk_has_a_sourced_row_and_its_flag_name() {
        for sdk in Sdk::value_variants() {
            let facts = sdk.facts();
            assert!(!facts.source.is_empty(), "{sdk}");
            assert!(facts.protocols.contains(&facts.default_protocol), "{sdk}");
            let flag = sdk.to_possible_value().unwrap();
            assert_eq!(flag.get_name(), sdk.as_str());
        }
        assert!(!Sdk::Python.accepts_protocol("http/json"));
        assert!(Sdk::Node.accepts_protocol("http/json"));
        assert!(!Sdk::Node.accepts_protocol("GRPC"));
        assert!(Sdk::Spec.accepts_protocol("GRPC"));
        assert_eq!(Sdk::JaegerNode.jaeger_agent_port(), 6832);
        assert!(!Sdk::JaegerPython.reads_jaeger_endpoint());
    }

    #[test]
    fn the_docs_table_lists_every_sdk_with_its_default_protocol() {
        let doc = include_str!("../../docs/sdk-facts.md");
        for sdk in Sdk::value_variants() {
            let row = format!("| `{sdk}` | `{}` |", sdk.facts().default_protocol);
            assert!(doc.contains(&row), "docs/sdk-facts.md lacks {row}");
        }
    }
}
