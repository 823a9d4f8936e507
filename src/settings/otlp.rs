//! Where and how an OTLP trace exporter sends, by the spec's rules (field guide Part 2 C):
//! signal-specific variables over generic ones, `/v1/traces` appended only to the generic HTTP
//! endpoint, default ports per protocol, and the scheme deciding TLS.

use std::fmt;

use serde::Serialize;
use url::Url;

use crate::protocol::wire::Wire;

use super::headers::Headers;
use super::{Inputs, Sdk, Source, TimeUnit};

/// The OTLP transport an exporter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
pub enum OtlpProtocol {
    #[serde(rename = "grpc")]
    #[value(name = "grpc")]
    Grpc,
    #[serde(rename = "http/protobuf")]
    #[value(name = "http/protobuf")]
    HttpProtobuf,
    #[serde(rename = "http/json")]
    #[value(name = "http/json")]
    HttpJson,
}

impl OtlpProtocol {
    /// Parses an `OTEL_EXPORTER_OTLP_PROTOCOL` value (case-insensitive, surrounding space ignored).
    pub fn parse(value: &str) -> Option<OtlpProtocol> {
        match value.trim().to_ascii_lowercase().as_str() {
            "grpc" => Some(OtlpProtocol::Grpc),
            "http/protobuf" => Some(OtlpProtocol::HttpProtobuf),
            "http/json" => Some(OtlpProtocol::HttpJson),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OtlpProtocol::Grpc => "grpc",
            OtlpProtocol::HttpProtobuf => "http/protobuf",
            OtlpProtocol::HttpJson => "http/json",
        }
    }

    /// 4317 for gRPC, 4318 for HTTP.
    pub fn default_port(self) -> u16 {
        match self {
            OtlpProtocol::Grpc => Wire::OtlpGrpc.default_port(),
            OtlpProtocol::HttpProtobuf | OtlpProtocol::HttpJson => {
                Wire::OtlpHttpProtobuf.default_port()
            }
        }
    }

    pub fn is_http(self) -> bool {
        self != OtlpProtocol::Grpc
    }

    /// The protocol an SDK uses when no variable sets one (field guide: "Default protocol by SDK").
    pub fn sdk_default(sdk: Sdk) -> OtlpProtocol {
        OtlpProtocol::parse(sdk.facts().default_protocol).unwrap_or(OtlpProtocol::HttpProtobuf)
    }
}

impl fmt::Display for OtlpProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resolved value, the variable it was read from (none for defaults) and where that came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved<T> {
    pub value: T,
    pub var: Option<&'static str>,
    pub source: Source,
}

impl<T> Resolved<T> {
    /// The same variable and source with a value derived from this one.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Resolved<U> {
        Resolved {
            value: f(&self.value),
            var: self.var,
            source: self.source.clone(),
        }
    }
}

/// The OTLP trace exporter's effective configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtlpTraces {
    pub protocol: Resolved<OtlpProtocol>,
    /// The endpoint as configured (or the default), before path rules.
    pub endpoint: Resolved<String>,
    /// The URL spans are sent to, or why the endpoint cannot be used as a URL.
    #[serde(serialize_with = "url_or_error")]
    pub url: Result<Url, String>,
    /// `OTEL_EXPORTER_OTLP_[TRACES_]INSECURE` when set (gRPC only, ignored when a scheme is given).
    pub insecure: Option<Resolved<bool>>,
    /// A protocol variable whose value no SDK accepts (`protocol` then holds the default).
    pub invalid_protocol: Option<Resolved<String>>,
    /// `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS`, parsed; values are secrets.
    pub headers: Option<Resolved<Headers>>,
    /// `OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT`, in the SDK's unit.
    pub timeout: Resolved<Timeout>,
    /// `OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION` as written.
    pub compression: Option<Resolved<String>>,
    /// `OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE`: PEM file of trusted CAs.
    pub certificate: Option<Resolved<String>>,
    /// `OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY`: PEM private key for mTLS.
    pub client_key: Option<Resolved<String>>,
    /// `OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE`: PEM certificate chain for mTLS.
    pub client_certificate: Option<Resolved<String>>,
}

/// The export timeout as written and the unit the SDK reads it in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeout {
    pub raw: String,
    pub unit: TimeUnit,
}

impl Timeout {
    /// The timeout in milliseconds as the SDK reads it (0 = no limit), or `None` when the SDK
    /// cannot parse it and uses its default instead.
    pub fn millis(&self) -> Option<u64> {
        let raw = self.raw.trim();
        match self.unit {
            TimeUnit::Milliseconds => raw.parse().ok(),
            TimeUnit::Seconds => raw
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e12)
                .map(|s| (s * 1000.0).round() as u64),
        }
    }
}

fn url_or_error<S: serde::Serializer>(url: &Result<Url, String>, s: S) -> Result<S::Ok, S::Error> {
    match url {
        Ok(u) => s.serialize_str(u.as_str()),
        Err(e) => s.serialize_str(&format!("invalid: {e}")),
    }
}

pub const TRACES_PROTOCOL: &str = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
pub const PROTOCOL: &str = "OTEL_EXPORTER_OTLP_PROTOCOL";
pub const TRACES_ENDPOINT: &str = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
pub const ENDPOINT: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";
pub const TRACES_INSECURE: &str = "OTEL_EXPORTER_OTLP_TRACES_INSECURE";
pub const INSECURE: &str = "OTEL_EXPORTER_OTLP_INSECURE";
pub const TRACES_HEADERS: &str = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
pub const HEADERS: &str = "OTEL_EXPORTER_OTLP_HEADERS";
pub const TRACES_TIMEOUT: &str = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
pub const TIMEOUT: &str = "OTEL_EXPORTER_OTLP_TIMEOUT";
pub const TRACES_COMPRESSION: &str = "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION";
pub const COMPRESSION: &str = "OTEL_EXPORTER_OTLP_COMPRESSION";
pub const TRACES_CERTIFICATE: &str = "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE";
pub const CERTIFICATE: &str = "OTEL_EXPORTER_OTLP_CERTIFICATE";
pub const TRACES_CLIENT_KEY: &str = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY";
pub const CLIENT_KEY: &str = "OTEL_EXPORTER_OTLP_CLIENT_KEY";
pub const TRACES_CLIENT_CERTIFICATE: &str = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE";
pub const CLIENT_CERTIFICATE: &str = "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE";

impl OtlpTraces {
    pub fn resolve(inputs: &Inputs, sdk: Sdk) -> OtlpTraces {
        let invalid_protocol = first_set(inputs, &[TRACES_PROTOCOL, PROTOCOL])
            .filter(|(_, value, _)| OtlpProtocol::parse(value).is_none())
            .map(|(var, value, source)| Resolved {
                value: value.to_string(),
                var: Some(var),
                source,
            });
        let protocol = first_set(inputs, &[TRACES_PROTOCOL, PROTOCOL])
            .and_then(|(var, value, source)| {
                OtlpProtocol::parse(&value).map(|p| Resolved {
                    value: p,
                    var: Some(var),
                    source,
                })
            })
            .unwrap_or_else(|| Resolved {
                value: OtlpProtocol::sdk_default(sdk),
                var: None,
                source: default_source(sdk),
            });

        let insecure =
            first_set(inputs, &[TRACES_INSECURE, INSECURE]).map(|(var, value, source)| Resolved {
                value: value.trim().eq_ignore_ascii_case("true"),
                var: Some(var),
                source,
            });

        let (endpoint, url) = match first_set(inputs, &[TRACES_ENDPOINT, ENDPOINT]) {
            Some((var, value, source)) => {
                let url = effective_url(
                    value.trim(),
                    protocol.value,
                    var == TRACES_ENDPOINT,
                    insecure.as_ref().map(|i| i.value),
                );
                let endpoint = Resolved {
                    value: value.to_string(),
                    var: Some(var),
                    source,
                };
                (endpoint, url)
            }
            None => {
                let base = format!("http://localhost:{}", protocol.value.default_port());
                let url = effective_url(&base, protocol.value, false, None);
                let endpoint = Resolved {
                    value: base,
                    var: None,
                    source: Source::SpecDefault,
                };
                (endpoint, url)
            }
        };
        let optional = |vars: &[&'static str]| {
            first_set(inputs, vars).map(|(var, value, source)| Resolved {
                value: value.to_string(),
                var: Some(var),
                source,
            })
        };
        let headers =
            first_set(inputs, &[TRACES_HEADERS, HEADERS]).map(|(var, value, source)| Resolved {
                value: Headers::parse(&value),
                var: Some(var),
                source,
            });
        let unit = sdk.timeout_unit();
        let timeout = match first_set(inputs, &[TRACES_TIMEOUT, TIMEOUT]) {
            Some((var, value, source)) => Resolved {
                value: Timeout {
                    raw: value.to_string(),
                    unit,
                },
                var: Some(var),
                source,
            },
            None => Resolved {
                value: Timeout {
                    raw: match unit {
                        TimeUnit::Milliseconds => "10000".to_string(),
                        TimeUnit::Seconds => "10".to_string(),
                    },
                    unit,
                },
                var: None,
                source: match unit {
                    TimeUnit::Milliseconds => Source::SpecDefault,
                    TimeUnit::Seconds => Source::SdkDefault { sdk },
                },
            },
        };
        OtlpTraces {
            protocol,
            endpoint,
            url,
            insecure,
            invalid_protocol,
            headers,
            timeout,
            compression: optional(&[TRACES_COMPRESSION, COMPRESSION]),
            certificate: optional(&[TRACES_CERTIFICATE, CERTIFICATE]),
            client_key: optional(&[TRACES_CLIENT_KEY, CLIENT_KEY]),
            client_certificate: optional(&[TRACES_CLIENT_CERTIFICATE, CLIENT_CERTIFICATE]),
        }
    }

    /// Host and port spans go to (port defaulted from the scheme), when the URL is usable.
    pub fn host_port(&self) -> Option<(String, u16)> {
        let url = self.url.as_ref().ok()?;
        Some((url.host_str()?.to_string(), url.port_or_known_default()?))
    }

    /// Whether the exporter will use TLS.
    pub fn tls(&self) -> bool {
        self.url.as_ref().is_ok_and(|u| u.scheme() == "https")
    }
}

fn default_source(sdk: Sdk) -> Source {
    if OtlpProtocol::sdk_default(sdk) == OtlpProtocol::sdk_default(Sdk::Spec) {
        Source::SpecDefault
    } else {
        Source::SdkDefault { sdk }
    }
}

/// The first of `vars` that is set and non-empty, with its value and source.
fn first_set(inputs: &Inputs, vars: &[&'static str]) -> Option<(&'static str, String, Source)> {
    let r = inputs.first_set(vars)?;
    Some((r.var?, r.value, r.source))
}

/// Applies the spec's path and scheme rules to a configured endpoint.
pub fn effective_url(
    endpoint: &str,
    protocol: OtlpProtocol,
    signal_specific: bool,
    insecure: Option<bool>,
) -> Result<Url, String> {
    let with_scheme = if endpoint.contains("://") {
        endpoint.to_string()
    } else {
        // No scheme: gRPC exporters read INSECURE; HTTP exporters need a scheme.
        if protocol.is_http() {
            return Err(format!(
                "`{endpoint}` has no scheme; an OTLP/HTTP endpoint must start with http:// or https://"
            ));
        }
        let scheme = if insecure == Some(true) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{endpoint}")
    };
    let mut url =
        Url::parse(&with_scheme).map_err(|e| format!("`{endpoint}` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{endpoint}` uses the scheme `{}`; OTLP endpoints use http:// or https://",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{endpoint}` names no host"));
    }
    if protocol.is_http() && !signal_specific {
        let path = url.path().trim_end_matches('/');
        url.set_path(&format!("{path}/v1/traces"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(sdk: Sdk, vars: &[(&str, &str)]) -> OtlpTraces {
        let mut inputs = Inputs::default();
        for (k, v) in vars {
            inputs.set(*k, *v, Source::Env);
        }
        OtlpTraces::resolve(&inputs, sdk)
    }

    fn url(sdk: Sdk, vars: &[(&str, &str)]) -> String {
        resolve(sdk, vars)
            .url
            .map(String::from)
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn spec_examples_for_http_paths() {
        assert_eq!(
            url(Sdk::Spec, &[(ENDPOINT, "http://collector:4318")]),
            "http://collector:4318/v1/traces"
        );
        assert_eq!(
            url(
                Sdk::Spec,
                &[(ENDPOINT, "http://collector:4318/mycollector/")]
            ),
            "http://collector:4318/mycollector/v1/traces"
        );
        assert_eq!(
            url(Sdk::Spec, &[(TRACES_ENDPOINT, "http://collector:4318")]),
            "http://collector:4318/"
        );
        let https = resolve(
            Sdk::Spec,
            &[(TRACES_ENDPOINT, "https://collector.example.com/v1/traces")],
        );
        assert_eq!(
            https.host_port(),
            Some(("collector.example.com".into(), 443))
        );
        assert!(https.tls());
    }

    #[test]
    fn signal_specific_variables_win() {
        let t = resolve(
            Sdk::Spec,
            &[
                (ENDPOINT, "http://generic:4318"),
                (TRACES_ENDPOINT, "http://traces:4318/v1/traces"),
                (PROTOCOL, "grpc"),
                (TRACES_PROTOCOL, "http/json"),
            ],
        );
        assert_eq!(t.protocol.value, OtlpProtocol::HttpJson);
        assert_eq!(t.protocol.var, Some(TRACES_PROTOCOL));
        assert_eq!(t.url.unwrap().as_str(), "http://traces:4318/v1/traces");
    }

    #[test]
    fn defaults_follow_protocol_and_sdk() {
        assert_eq!(url(Sdk::Spec, &[]), "http://localhost:4318/v1/traces");
        let py = resolve(Sdk::Python, &[]);
        assert_eq!(py.protocol.value, OtlpProtocol::Grpc);
        assert_eq!(py.protocol.source, Source::SdkDefault { sdk: Sdk::Python });
        assert_eq!(py.url.unwrap().as_str(), "http://localhost:4317/");
    }

    #[test]
    fn grpc_ignores_path_and_reads_insecure_without_scheme() {
        assert_eq!(
            url(
                Sdk::Spec,
                &[(PROTOCOL, "grpc"), (ENDPOINT, "collector:4317")]
            ),
            "https://collector:4317/"
        );
        assert_eq!(
            url(
                Sdk::Spec,
                &[
                    (PROTOCOL, "grpc"),
                    (ENDPOINT, "collector:4317"),
                    (INSECURE, "true")
                ]
            ),
            "http://collector:4317/"
        );
    }

    #[test]
    fn empty_values_count_as_unset_and_bad_values_say_why() {
        assert_eq!(
            url(Sdk::Spec, &[(ENDPOINT, ""), (PROTOCOL, " ")]),
            "http://localhost:4318/v1/traces"
        );
        assert!(url(Sdk::Spec, &[(ENDPOINT, "collector:4318")]).contains("no scheme"));
        assert!(url(Sdk::Spec, &[(ENDPOINT, "http://")]).contains("not a URL"));
        assert!(url(Sdk::Spec, &[(ENDPOINT, "ftp://x:1")]).contains("scheme `ftp`"));
    }

    #[test]
    fn unknown_protocol_is_recorded_and_the_default_used() {
        let t = resolve(Sdk::Java, &[(PROTOCOL, "http")]);
        assert_eq!(t.protocol.value, OtlpProtocol::Grpc);
        assert_eq!(t.invalid_protocol.unwrap().value, "http");
        assert!(
            resolve(Sdk::Spec, &[(PROTOCOL, "GRPC")])
                .invalid_protocol
                .is_none()
        );
    }

    #[test]
    fn timeout_units_follow_the_sdk() {
        let spec = resolve(Sdk::Spec, &[(TIMEOUT, "10")]);
        assert_eq!(spec.timeout.value.millis(), Some(10));
        let py = resolve(Sdk::Python, &[(TRACES_TIMEOUT, "2.5"), (TIMEOUT, "7")]);
        assert_eq!(py.timeout.var, Some(TRACES_TIMEOUT));
        assert_eq!(py.timeout.value.millis(), Some(2500));
        assert_eq!(
            resolve(Sdk::Python, &[]).timeout.value.millis(),
            Some(10_000)
        );
        assert_eq!(
            resolve(Sdk::Spec, &[(TIMEOUT, "10s")])
                .timeout
                .value
                .millis(),
            None
        );
    }

    #[test]
    fn signal_specific_headers_and_tls_files_win() {
        let t = resolve(
            Sdk::Spec,
            &[
                (HEADERS, "a=1"),
                (TRACES_HEADERS, "b=2"),
                (CERTIFICATE, "/ca.pem"),
                (COMPRESSION, "gzip"),
            ],
        );
        let headers = t.headers.unwrap();
        assert_eq!(headers.var, Some(TRACES_HEADERS));
        assert_eq!(headers.value.headers[0].name, "b");
        assert_eq!(t.certificate.unwrap().value, "/ca.pem");
        assert_eq!(t.compression.unwrap().value, "gzip");
        assert!(t.client_key.is_none());
    }
}
