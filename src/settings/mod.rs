//! The tracing settings an application would run with: raw variables gathered from the process
//! environment, env files and flags (each remembering where it came from), then resolved by the
//! OpenTelemetry spec rules and the chosen SDK's documented defaults.

pub mod env_file;
pub mod headers;
mod inputs;
pub mod jaeger;
pub mod java;
pub mod otlp;
mod percent;
pub mod pipeline;
pub mod resource;
mod sdk;
pub mod secret;
pub mod service;
mod source;
pub mod zipkin;

pub use headers::{Header, HeaderProblem, HeaderProblemKind, Headers};
pub use inputs::{Inputs, RawVar, is_secret, is_spring_var, is_tracing_var};
pub use jaeger::Jaeger;
pub use otlp::{OtlpProtocol, OtlpTraces, Resolved, Timeout};
pub use pipeline::{Pipeline, Sampler};
pub use resource::ResourceAttributes;
pub use sdk::{Facts as SdkFacts, Sdk, TimeUnit};
pub use secret::Secret;
pub use service::ServiceName;
pub use source::{Location, Source};
pub use zipkin::Zipkin;

use serde::Serialize;

/// The settings an app would use, with the raw inputs they were resolved from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub inputs: Inputs,
    pub sdk: Sdk,
    /// Whether `sdk` was not given but read from the variables: only `JAEGER_*` ones are set, so
    /// the app is judged as a Jaeger client ([`Settings::resolve_for`]).
    pub sdk_inferred: bool,
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
    /// The removed Zipkin exporter's endpoint.
    pub zipkin: Zipkin,
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

/// The note shown when the app is judged as a Jaeger client without `--sdk`.
pub const JAEGER_INFERRED_NOTE: &str = "judged as a Jaeger client because only JAEGER_* variables \
     are set and --sdk is not given; pass --sdk jaeger-go, jaeger-java, jaeger-python or jaeger-node \
     for one client's defaults, or --sdk spec to judge the app as an OpenTelemetry SDK";

impl Settings {
    /// Resolves with the SDK given by `--sdk`; without one, an app whose only tracing variables
    /// are `JAEGER_*` ones is judged as a Jaeger client (the report says so), any other by the spec.
    pub fn resolve_for(inputs: Inputs, sdk: Option<Sdk>) -> Settings {
        let set = |prefix: &str| {
            inputs
                .tracing_vars()
                .any(|v| v.name.starts_with(prefix) && !v.value.trim().is_empty())
        };
        match sdk {
            Some(sdk) => Settings::resolve(inputs, sdk),
            None if set("JAEGER_") && !set("OTEL_") => Settings {
                sdk_inferred: true,
                ..Settings::resolve(inputs, Sdk::Jaeger)
            },
            None => Settings::resolve(inputs, Sdk::Spec),
        }
    }

    pub fn resolve(inputs: Inputs, sdk: Sdk) -> Settings {
        let otlp = OtlpTraces::resolve(&inputs, sdk);
        let resource = pipeline::read(&inputs, resource::RESOURCE_ATTRIBUTES).map(|r| Resolved {
            value: ResourceAttributes::parse(&r.value),
            var: r.var,
            source: r.source,
        });
        let service = ServiceName::resolve(&inputs, resource.as_ref(), sdk);
        let pipeline = Pipeline::resolve(&inputs);
        let jaeger = Jaeger::resolve(&inputs, sdk);
        let zipkin = Zipkin::resolve(&inputs);
        Settings {
            inputs,
            sdk,
            sdk_inferred: false,
            otlp,
            resource,
            service,
            pipeline,
            jaeger,
            zipkin,
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
        let mut lines = Vec::new();
        if self.sdk_inferred {
            lines.push(SettingLine {
                kind: SettingKind::Effective,
                key: "sdk".to_string(),
                value: self.sdk.to_string(),
                source: Source::Inferred,
                var: None,
                note: Some(JAEGER_INFERRED_NOTE.to_string()),
            });
        }
        lines.extend(self.effective());
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
        if self.sdk.is_jaeger_client() {
            return self.jaeger_effective();
        }
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
                service.fallback.then(|| "SDK fallback".to_string()),
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

impl Settings {
    /// The effective lines of a Jaeger client: its service name, where it sends, its sampler.
    fn jaeger_effective(&self) -> Vec<SettingLine> {
        let line = |key: &str, value: String, var: Option<&str>, source: &Source| SettingLine {
            kind: SettingKind::Effective,
            key: key.to_string(),
            value,
            source: source.clone(),
            var: var.map(str::to_string),
            note: None,
        };
        let name = &self.service.effective;
        let mut lines = vec![line(
            "service.name",
            name.value.clone(),
            name.var,
            &name.source,
        )];
        lines.push(
            match self
                .jaeger
                .location
                .sender(self.sdk.reads_jaeger_endpoint())
            {
                jaeger::Sender::Http(e) => line(
                    "jaeger.sender",
                    format!("{} (thrift over HTTP)", e.value.trim()),
                    e.var,
                    &e.source,
                ),
                jaeger::Sender::Agent(a) => line(
                    "jaeger.sender",
                    format!("udp://{}:{} (thrift over UDP)", a.host.value, a.port.value),
                    a.host.var.or(a.port.var),
                    &a.host.source,
                ),
            },
        );
        let sampler = self.jaeger.sampler_type.as_ref();
        lines.push(match sampler {
            Some(t) => line(
                "jaeger.sampler",
                t.value.trim().to_string(),
                t.var,
                &t.source,
            ),
            None => line(
                "jaeger.sampler",
                "remote (initial probabilistic 0.001)".to_string(),
                None,
                &Source::SdkDefault { sdk: self.sdk },
            ),
        });
        lines
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

    #[test]
    fn an_app_with_only_jaeger_variables_is_judged_as_a_jaeger_client() {
        let mut inputs = Inputs::default();
        inputs.set("JAEGER_SERVICE_NAME", "pyapp", Source::Env);
        inputs.set("JAEGER_ENDPOINT", "http://c:14268/api/traces", Source::Env);
        let s = Settings::resolve_for(inputs.clone(), None);
        assert_eq!((s.sdk, s.sdk_inferred), (Sdk::Jaeger, true));
        let lines = s.summary();
        assert_eq!(lines[0].key, "sdk");
        assert!(lines[0].note.as_ref().unwrap().contains("--sdk spec"));
        let sender = lines.iter().find(|l| l.key == "jaeger.sender").unwrap();
        assert!(sender.value.starts_with("http://c:14268/api/traces"));
        assert!(!lines.iter().any(|l| l.key == "otlp.url"));
        let given = Settings::resolve_for(inputs.clone(), Some(Sdk::Spec));
        assert!(!given.sdk_inferred && given.sdk == Sdk::Spec);
        inputs.set("OTEL_SERVICE_NAME", "x", Source::Env);
        assert_eq!(Settings::resolve_for(inputs, None).sdk, Sdk::Spec);
    }
}
