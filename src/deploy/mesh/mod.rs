//! Istio mesh tracing read from the deployment inputs: the tracing providers of the mesh config
//! (IstioOperator `spec.meshConfig`, the `istio` ConfigMap's `mesh` key), the Telemetry objects
//! that select them, and the namespaces labelled for sidecar injection, each fact at file:line.

mod scope;

use serde::Serialize;

pub use scope::Effective;

use crate::deploy::Location;

/// A value with the line it is written on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct At<T> {
    pub value: T,
    pub at: Location,
}

/// Everything the input says about the mesh's tracing.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Mesh {
    /// The mesh configs found (several with revisions, or an IstioOperator next to the
    /// ConfigMap it renders).
    pub configs: Vec<MeshConfig>,
    pub telemetries: Vec<Telemetry>,
    /// Namespaces the input labels for injection (`istio-injection: enabled`, `istio.io/rev`).
    pub injected_namespaces: Vec<String>,
}

/// One MeshConfig.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeshConfig {
    /// For people: `IstioOperator istio-system/demo spec.meshConfig`,
    /// `ConfigMap istio-system/istio key mesh`.
    pub origin: String,
    pub at: Location,
    /// `rootNamespace`, `istio-system` when not set.
    pub root_namespace: String,
    /// `extensionProviders[]`.
    pub providers: Vec<Provider>,
    /// `defaultProviders.tracing[]`.
    pub default_tracing: Vec<At<String>>,
    /// `defaultConfig.tracing.sampling` (the legacy tracer's percentage).
    pub legacy_sampling: Option<At<f64>>,
    /// `defaultConfig.tracing.zipkin.address`: the legacy tracer set to Zipkin (B3 headers).
    pub legacy_zipkin: Option<At<String>>,
}

/// One `extensionProviders[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provider {
    pub name: String,
    /// The provider's kind key in camelCase (`opentelemetry`, `zipkin`, `envoyFileAccessLog`);
    /// empty when the entry has none.
    pub kind: String,
    /// `service` as written: `[namespace/]hostname`.
    pub service: Option<At<String>>,
    pub port: Option<At<u16>>,
    /// An opentelemetry provider with `http:` set (it exports OTLP/HTTP, else gRPC).
    pub http: bool,
    /// A zipkin provider with `traceContextOption: USE_B3_WITH_W3C_PROPAGATION`.
    pub w3c: bool,
    /// The entry's `name:` line.
    pub at: Location,
}

/// What a provider kind does for tracing in current istiod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracing {
    /// opentelemetry, zipkin, datadog, skywalking.
    Yes,
    /// lightstep, opencensus, stackdriver: traced in older releases; current istiod configures
    /// no tracer from them.
    Retired,
    /// Access logs, metrics, ext_authz, SDS: never a tracer.
    No,
    /// A kind this release of tracectl does not know.
    Unknown,
}

impl Provider {
    pub fn tracing(&self) -> Tracing {
        match self.kind.as_str() {
            "opentelemetry" | "zipkin" | "datadog" | "skywalking" => Tracing::Yes,
            "lightstep" | "opencensus" | "stackdriver" => Tracing::Retired,
            "envoyFileAccessLog" | "envoyHttpAls" | "envoyTcpAls" | "envoyOtelAls"
            | "envoyExtAuthzHttp" | "envoyExtAuthzGrpc" | "prometheus" | "sds" => Tracing::No,
            _ => Tracing::Unknown,
        }
    }

    /// The trace context headers the proxies read and write with this provider, for people,
    /// and the OTEL_PROPAGATORS values that speak them.
    pub fn propagation(&self) -> Option<(&'static str, &'static [&'static str])> {
        match self.kind.as_str() {
            "zipkin" if self.w3c => Some((
                "B3 (`x-b3-*`) and W3C `traceparent`",
                &["b3", "b3multi", "tracecontext"],
            )),
            "zipkin" => Some(("B3 (`x-b3-*`)", &["b3", "b3multi"])),
            "opentelemetry" => Some(("W3C `traceparent`", &["tracecontext"])),
            _ => None,
        }
    }
}

/// One Telemetry object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Telemetry {
    pub namespace: String,
    pub name: String,
    pub at: Location,
    /// `selector.matchLabels`; empty: the whole namespace.
    pub selector: Vec<(String, String)>,
    /// `targetRef` / `targetRefs` set: it applies to gateways, waypoints or Services, which
    /// are not matched to workloads here.
    pub targeted: bool,
    pub tracing: Vec<TracingRule>,
}

/// One `spec.tracing[]` entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracingRule {
    pub at: Location,
    pub providers: Vec<At<String>>,
    pub sampling: Option<At<f64>>,
    pub disabled: Option<At<bool>>,
}

impl Mesh {
    /// Whether the input shows the mesh config (so providers can be judged).
    pub fn shown(&self) -> bool {
        !self.configs.is_empty()
    }

    /// Every mesh config's providers, in definition order.
    pub fn providers(&self) -> impl Iterator<Item = &Provider> {
        self.configs.iter().flat_map(|c| &c.providers)
    }

    /// The provider named `name` in any mesh config.
    pub fn provider(&self, name: &str) -> Option<&Provider> {
        self.providers().find(|p| p.name == name)
    }

    /// The root namespace (the first mesh config's), `istio-system` without one.
    pub fn root_namespace(&self) -> &str {
        self.configs
            .first()
            .map_or("istio-system", |c| c.root_namespace.as_str())
    }

    /// The `defaultProviders.tracing` names of every mesh config.
    pub fn default_tracing(&self) -> impl Iterator<Item = &At<String>> {
        self.configs.iter().flat_map(|c| &c.default_tracing)
    }
}
