//! What the network checks share: the run's live options and the endpoints the settings point at.
//! What a fingerprint shows is put into words by [`crate::symptom`].

use std::net::IpAddr;
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use super::Context;
use crate::host::HostFacts;
use crate::probe::{Target, UdpTarget};
use crate::settings::OtlpProtocol;
use crate::settings::jaeger::{self, Sender};

/// Options of the live checks, set by `doctor` from its flags.
#[derive(Debug, Clone)]
pub struct Live {
    /// `--scan [HOST]`: the host whose well-known ports to probe.
    pub scan: Option<String>,
    /// `--endpoint URL`: more endpoints to probe.
    pub endpoints: Vec<Url>,
    /// `--ntp-server HOST[:PORT]`, else the servers of the host's time daemon.
    pub ntp_servers: Vec<String>,
    /// Whether `ntp_servers` is the user's `--ntp-server` (silence is then a finding, not a skip).
    pub ntp_from_flag: bool,
    pub host: HostFacts,
    /// When probes must be done: a little before the run's deadline, so results are reported.
    pub probe_deadline: Instant,
}

impl Live {
    pub fn new(deadline: Instant) -> Live {
        Live {
            scan: None,
            endpoints: Vec::new(),
            ntp_servers: Vec::new(),
            ntp_from_flag: false,
            host: HostFacts::default(),
            probe_deadline: deadline,
        }
    }
}

/// The deadline probes get for a run of length `timeout` ending at `deadline`: 90 % of the run,
/// so that what they measured is reported before the runner's own deadline.
pub fn probe_deadline(deadline: Instant, timeout: Duration) -> Instant {
    let margin = (timeout / 10).min(Duration::from_millis(300));
    deadline.checked_sub(margin).unwrap_or(deadline)
}

/// An endpoint the app sends to: the setting it comes from and where it points.
#[derive(Debug, Clone)]
pub struct Configured {
    /// The variable (or flag) to change to fix it.
    pub subject: String,
    pub target: Target,
    /// The OTLP protocol, for the OTLP exporter's endpoint.
    pub otlp: Option<OtlpProtocol>,
    /// The SDK's default endpoint (e.g. `http://localhost:4318`) when no variable sets one: the
    /// subject then names the variable to set, not one that is set.
    pub default: Option<String>,
}

impl Configured {
    /// The start of a sentence saying where the endpoint comes from: "OTEL_… points at HOST", or
    /// that no variable sets it and the SDK uses its default.
    pub fn origin(&self) -> String {
        match &self.default {
            Some(url) => format!(
                "{} is unset: the SDK sends to its default {url}",
                self.subject
            ),
            None => format!("{} points at {}", self.subject, self.target.host),
        }
    }

    /// The endpoint as a sentence's subject: the variable that sets it, or the SDK's default.
    pub fn named(&self) -> String {
        match &self.default {
            Some(url) => format!(
                "The SDK's default endpoint {url} ({} is unset)",
                self.subject
            ),
            None => self.subject.clone(),
        }
    }
}

macro_rules! docker_collector {
    () => {
        "`docker run -p 4317-4318:4317-4318 otel/opentelemetry-collector`"
    };
}

/// The command that starts a collector on this host with Docker.
pub const DOCKER_COLLECTOR: &str = docker_collector!();

/// How to start a collector on this host, with Docker and without, for fixes.
pub const START_COLLECTOR: &str = concat!(
    docker_collector!(),
    ", or without Docker `./jaeger` from https://github.com/jaegertracing/jaeger/releases"
);

/// Whether the OTLP exporter is in use: an OpenTelemetry SDK (not a Jaeger client) whose
/// OTEL_TRACES_EXPORTER is unset or names otlp.
fn otlp_in_use(ctx: &Context) -> bool {
    !ctx.settings.sdk.is_jaeger_client()
        && ctx
            .settings
            .pipeline
            .exporters
            .value
            .iter()
            .any(|e| e == "otlp")
}

/// The OTLP trace exporter's endpoint, when OTLP is in use and the URL is valid.
pub fn otlp(ctx: &Context) -> Option<Configured> {
    if !otlp_in_use(ctx) {
        return None;
    }
    let otlp = &ctx.settings.otlp;
    let target = Target::from_url(otlp.url.as_ref().ok()?)?;
    let subject = otlp
        .endpoint
        .var
        .unwrap_or("OTEL_EXPORTER_OTLP_ENDPOINT")
        .to_string();
    Some(Configured {
        subject,
        target,
        otlp: Some(otlp.protocol.value),
        default: otlp
            .endpoint
            .var
            .is_none()
            .then(|| otlp.endpoint.value.clone()),
    })
}

/// Every TCP endpoint to probe: the OTLP exporter's, the Jaeger collector endpoint the client
/// sends to (docs/settings.md), and `--endpoint` URLs.
pub fn configured(ctx: &Context) -> Vec<Configured> {
    let mut all: Vec<Configured> = otlp(ctx).into_iter().collect();
    let location = &ctx.settings.jaeger.location;
    if let Sender::Http(endpoint) = location.sender(ctx.settings.sdk.reads_jaeger_endpoint())
        && let Some(target) = Url::parse(endpoint.value.trim())
            .ok()
            .and_then(|u| Target::from_url(&u))
    {
        all.push(Configured {
            subject: endpoint.var.unwrap_or(jaeger::ENDPOINT).into(),
            target,
            otlp: None,
            default: None,
        });
    }
    for url in &ctx.live.endpoints {
        if let Some(target) = Target::from_url(url) {
            all.push(Configured {
                subject: format!("--endpoint {url}"),
                target,
                otlp: None,
                default: None,
            });
        }
    }
    all
}

/// The Jaeger agent spans go to (docs/settings.md): none when a collector endpoint the client
/// reads is set; for a Jaeger client (`--sdk jaeger…`) the configured agent or its default; for an
/// OpenTelemetry SDK only an agent the variables name.
pub fn agent_setting(ctx: &Context) -> Option<jaeger::Agent> {
    let location = &ctx.settings.jaeger.location;
    let client = ctx.settings.sdk.is_jaeger_client();
    match location.sender(ctx.settings.sdk.reads_jaeger_endpoint()) {
        Sender::Agent(agent) if client || location.agent.is_some() => Some(agent),
        _ => None,
    }
}

/// Why no agent is probed: spans go to a collector endpoint, or no agent is configured.
pub fn no_agent_reason(ctx: &Context) -> String {
    match &ctx.settings.jaeger.location.endpoint {
        Some(e) if ctx.settings.sdk.reads_jaeger_endpoint() => format!(
            "{} is set, so the Jaeger client sends over HTTP, not to an agent",
            e.var.unwrap_or(jaeger::ENDPOINT)
        ),
        _ => "no Jaeger agent configured (JAEGER_AGENT_HOST/PORT unset)".into(),
    }
}

/// [`agent_setting`] as a probe target.
pub fn agent(ctx: &Context) -> Option<UdpTarget> {
    agent_setting(ctx).map(|a| UdpTarget {
        host: a.host.value,
        port: a.port.value,
    })
}

/// `localhost`, `*.localhost`, 127.0.0.0/8 and ::1.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.to_ascii_lowercase().ends_with(".localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
