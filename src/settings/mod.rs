//! The tracing settings an application would run with: raw variables gathered from the process
//! environment, env files and flags (each remembering where it came from), then resolved by the
//! OpenTelemetry spec rules and the chosen SDK's documented defaults.

pub mod env_file;
pub mod headers;
mod inputs;
pub mod jaeger;
pub mod otlp;
mod percent;
pub mod pipeline;
pub mod resource;
mod sdk;
pub mod secret;
pub mod service;
mod source;

pub use headers::{Header, HeaderProblem, HeaderProblemKind, Headers};
pub use inputs::{Inputs, RawVar, is_secret, is_tracing_var};
pub use jaeger::Jaeger;
pub use otlp::{OtlpProtocol, OtlpTraces, Resolved, Timeout};
pub use pipeline::{Pipeline, Sampler};
pub use resource::ResourceAttributes;
pub use sdk::{Sdk, TimeUnit};
pub use secret::Secret;
pub use service::ServiceName;
pub use source::{Location, Source};

use serde::Serialize;

/// The settings an app would use, with the raw inputs they were resolved from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub inputs: Inputs,
    pub sdk: Sdk,
    /// The OTLP trace exporter's protocol, endpoint, headers, timeout and TLS files.
    pub otlp: OtlpTraces,
    /// OTEL_RESOURCE_ATTRIBUTES, parsed, when set.
    pub resource: Option<Resolved<ResourceAttributes>>,
    /// The service name the backend will see, and every variable that names one.
    pub service: ServiceName,
    /// SDK switch, exporters, propagators and sampler.
    pub pipeline: Pipeline,
    /// Legacy Jaeger client variables and the removed OTEL_EXPORTER_JAEGER_* ones.
    pub jaeger: Jaeger,
}

/// Whether a [`SettingLine`] is a variable as set, or a value the app will effectively use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SettingKind {
    /// What the SDK will use after the spec's and the SDK's rules (defaults included).
    Effective,
    /// An OTEL_* or JAEGER_* variable as set.
    Variable,
}

/// One line of the settings summary shown in reports: a value and where it came from.
/// Secret values are already redacted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingLine {
    pub kind: SettingKind,
    /// A variable name, or the name of an effective setting such as `otlp.url`.
    pub key: String,
    pub value: String,
    pub source: Source,
    /// For effective values read from a variable: that variable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub var: Option<String>,
    /// Something to know about how the value was read or resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Settings {
    pub fn resolve(inputs: Inputs, sdk: Sdk) -> Settings {
        let otlp = OtlpTraces::resolve(&inputs, sdk);
        let resource = pipeline::read(&inputs, resource::RESOURCE_ATTRIBUTES).map(|r| Resolved {
            value: ResourceAttributes::parse(&r.value),
            var: r.var,
            source: r.source,
        });
        let service = ServiceName::resolve(&inputs, resource.as_ref(), sdk);
        let pipeline = Pipeline::resolve(&inputs);
        let jaeger = Jaeger::resolve(&inputs);
        Settings {
            inputs,
            sdk,
            otlp,
            resource,
            service,
            pipeline,
            jaeger,
        }
    }

    /// A raw variable's value as the app would read it; empty values count as unset (spec rule).
    pub fn var(&self, name: &str) -> Option<&str> {
        self.inputs
            .get(name)
            .map(|v| v.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// What reports show at the top: the effective values that decide where spans go, then every
    /// tracing variable that is set; each with where it came from.
    pub fn summary(&self) -> Vec<SettingLine> {
        let mut lines = self.effective();
        lines.extend(self.inputs.tracing_vars().map(|v| SettingLine {
            kind: SettingKind::Variable,
            key: v.name.clone(),
            value: v.display_value(),
            source: v.source.clone(),
            var: None,
            note: v.note.clone(),
        }));
        lines
    }

    fn effective(&self) -> Vec<SettingLine> {
        fn line<T>(key: &str, value: String, r: &Resolved<T>, note: Option<String>) -> SettingLine {
            SettingLine {
                kind: SettingKind::Effective,
                key: key.to_string(),
                value,
                source: r.source.clone(),
                var: r.var.map(str::to_string),
                note,
            }
        }
        let service = &self.service;
        let otlp = &self.otlp;
        let p = &self.pipeline;
        let url = match &otlp.url {
            Ok(url) => url.to_string(),
            Err(e) => format!("unusable: {e}"),
        };
        let timeout = &otlp.timeout.value;
        let mut sampler = p.sampler.name.value.clone();
        if let Some(arg) = &p.sampler.arg {
            sampler = format!("{sampler} (arg {})", arg.value);
        }
        vec![
            line(
                "service.name",
                service.effective.value.clone(),
                &service.effective,
                service
                    .fallback
                    .then(|| "no service name is configured: the SDK's fallback".to_string()),
            ),
            line(
                "otlp.protocol",
                otlp.protocol.value.to_string(),
                &otlp.protocol,
                otlp.invalid_protocol.as_ref().map(|bad| {
                    format!(
                        "{} `{}` is not a protocol: default used",
                        bad.var.unwrap_or(""),
                        bad.value
                    )
                }),
            ),
            line("otlp.url", url, &otlp.endpoint, None),
            line(
                "otlp.timeout",
                format!("{} {}", timeout.raw.trim(), timeout.unit.as_str()),
                &otlp.timeout,
                None,
            ),
            line(
                "traces.exporter",
                p.exporters.value.join(","),
                &p.exporters,
                None,
            ),
            line(
                "propagators",
                p.propagators.value.join(","),
                &p.propagators,
                None,
            ),
            line("sampler", sampler, &p.sampler.name, None),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_starts_with_effective_values_and_their_sources() {
        let mut inputs = Inputs::default();
        inputs.set(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://collector:4318",
            Source::Flag,
        );
        inputs.set(
            "OTEL_EXPORTER_OTLP_HEADERS",
            "authorization=Bearer s3cr3t-token-value",
            Source::Env,
        );
        let lines = Settings::resolve(inputs, Sdk::Java).summary();
        let get = |key: &str| lines.iter().find(|l| l.key == key).unwrap();
        assert_eq!(get("service.name").value, "unknown_service:java");
        assert_eq!(
            get("service.name").source,
            Source::SdkDefault { sdk: Sdk::Java }
        );
        assert_eq!(get("otlp.protocol").value, "grpc");
        let url = get("otlp.url");
        assert_eq!(
            (url.value.as_str(), &url.source),
            ("http://collector:4318/", &Source::Flag)
        );
        assert_eq!(url.var.as_deref(), Some("OTEL_EXPORTER_OTLP_ENDPOINT"));
        assert_eq!(
            get("OTEL_EXPORTER_OTLP_ENDPOINT").kind,
            SettingKind::Variable
        );
        let json = serde_json::to_string(&lines).unwrap();
        assert!(!json.contains("s3cr3t-token-value"), "{json}");
    }
}
