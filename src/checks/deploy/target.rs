//! Where a workload's endpoints lead: the tracing endpoints it is configured with, and what a
//! host name resolves to inside the deployment (a Service, the pod itself, the node).

use super::{Scope, Shared};
use crate::checks::Context;
use crate::deploy::{Deployment, Location, Platform, Service, Transport, Workload};
use crate::settings::otlp;

/// One endpoint a workload sends spans to.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The variable that sets it (or would set it, for defaults).
    pub var: String,
    pub host: String,
    pub port: u16,
    pub transport: Transport,
    /// Set explicitly (not a default).
    pub explicit: bool,
    /// Where the variable is defined, when it is.
    pub at: Option<Location>,
}

/// The OTLP traces endpoint, the Jaeger agent and the Jaeger collector endpoint the workload's
/// settings point at.
pub fn endpoints(ctx: &Context, w: &Workload) -> Vec<Endpoint> {
    let settings = &ctx.settings;
    let at = |var: &str| w.var(var).map(|v| v.source.clone());
    let mut all = Vec::new();
    let o = &settings.otlp;
    if let Some((host, port)) = o.host_port() {
        let var = o.endpoint.var.unwrap_or(otlp::ENDPOINT).to_string();
        all.push(Endpoint {
            at: at(&var),
            explicit: o.endpoint.var.is_some(),
            var,
            host,
            port,
            transport: Transport::Tcp,
        });
    }
    if let Some(host) = settings.var("JAEGER_AGENT_HOST") {
        let port = settings
            .var("JAEGER_AGENT_PORT")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(6831);
        all.push(Endpoint {
            var: "JAEGER_AGENT_HOST".into(),
            host: host.trim().to_string(),
            port,
            transport: Transport::Udp,
            explicit: true,
            at: at("JAEGER_AGENT_HOST"),
        });
    }
    if let Some(url) = settings
        .var("JAEGER_ENDPOINT")
        .and_then(|u| url::Url::parse(u.trim()).ok())
        && let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default())
    {
        all.push(Endpoint {
            var: "JAEGER_ENDPOINT".into(),
            host: host.to_string(),
            port,
            transport: Transport::Tcp,
            explicit: true,
            at: at("JAEGER_ENDPOINT"),
        });
    }
    all
}

/// What a host name means inside the deployment.
#[derive(Debug)]
pub enum Host<'a> {
    /// `localhost`, 127.0.0.0/8, `::1`: the pod itself.
    Loopback,
    /// A run-time field expanded into the value (`status.hostIP`, `status.podIP`, `spec.nodeName`),
    /// as `fieldPath` writes it.
    Placeholder(String),
    /// A Service of the input, named in one of its DNS forms.
    Service(&'a Service),
    /// A cluster name (bare, `svc.ns`, `svc.ns.svc…`) that no Service of the input has.
    Missing {
        /// The Service of that name in another namespace, for bare names.
        elsewhere: Option<&'a Service>,
        /// The closest Service name in the namespace the name points into.
        suggestion: Option<&'a Service>,
        /// The namespace the name points into.
        namespace: String,
    },
    /// A name or address outside what the input describes.
    Outside,
}

/// Run-time fields a value may embed, as `fieldPath` writes them.
const PLACEHOLDERS: &[&str] = &[
    "status.hostIP",
    "status.podIP",
    "spec.nodeName",
    "status.hostIPs",
    "status.podIPs",
];

/// Resolves `host` as seen from `w`.
pub fn resolve<'a>(scope: &'a Scope, w: &Workload, host: &str) -> Host<'a> {
    let d = scope.deployment();
    let known_namespace = |ns: &str| scope.shared.knows_namespace(ns);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if crate::checks::live::is_loopback(&host) {
        return Host::Loopback;
    }
    if let Some(p) = PLACEHOLDERS.iter().find(|p| p.eq_ignore_ascii_case(&host)) {
        return Host::Placeholder((*p).to_string());
    }
    // An unexpanded `$(VAR)` is the unresolved-reference check's finding, not a name.
    if host.parse::<std::net::IpAddr>().is_ok() || host.contains("$(") {
        return Host::Outside;
    }
    if w.platform == Platform::Compose {
        return compose(d, &host);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let (name, namespace) = match labels.as_slice() {
        [name] => (*name, w.namespace.as_str()),
        [name, ns] if known_namespace(ns) => (*name, *ns),
        [name, ns, "svc", ..] => (*name, *ns),
        _ => return Host::Outside,
    };
    // A namespace with nothing in the input is outside what tracectl can judge.
    if !known_namespace(namespace) {
        return Host::Outside;
    }
    let in_ns = scope.shared.services_in(namespace);
    if let Some(s) = in_ns.clone().find(|s| s.name == name) {
        return Host::Service(s);
    }
    let elsewhere = (labels.len() == 1)
        .then(|| {
            d.services
                .iter()
                .find(|s| s.name == name && s.namespace != namespace)
        })
        .flatten();
    let suggestion = in_ns
        .map(|s| (strsim::jaro_winkler(name, &s.name), s))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s);
    Host::Missing {
        elsewhere,
        suggestion,
        namespace: namespace.to_string(),
    }
}

fn compose<'a>(d: &'a Deployment, host: &str) -> Host<'a> {
    let compose = d
        .services
        .iter()
        .filter(|s| s.platform == Platform::Compose);
    if let Some(s) = compose.clone().find(|s| {
        s.name.eq_ignore_ascii_case(host) || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(host))
    }) {
        return Host::Service(s);
    }
    if host.contains('.') {
        return Host::Outside;
    }
    let suggestion = compose
        .map(|s| (strsim::jaro_winkler(host, &s.name), s))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s);
    Host::Missing {
        elsewhere: None,
        suggestion,
        namespace: String::new(),
    }
}

/// The workloads a Service sends traffic to.
pub fn backends<'a>(shared: &'a Shared, s: &Service) -> Vec<&'a Workload> {
    use crate::deploy::Backing;
    let d = &shared.deployment;
    match &s.backing {
        Backing::Selector(selector) => (shared.workloads_in(&s.namespace))
            .filter(|w| w.platform == s.platform)
            .filter(|w| selector.iter().all(|kv| w.labels.contains(kv)))
            .collect(),
        Backing::Workloads(ids) => d.workloads.iter().filter(|w| ids.contains(&w.id)).collect(),
        Backing::None => Vec::new(),
    }
}

/// The container port a Service port sends to on `w`, if `w` declares it.
pub fn target_port(port: &crate::deploy::ServicePort, w: &Workload) -> Option<u16> {
    use crate::deploy::TargetPort;
    match &port.target {
        TargetPort::Number(n) => Some(*n),
        TargetPort::Name(name) => w
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port),
    }
}
