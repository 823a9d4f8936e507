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
                "No endpoint is configured ({} is unset), so the SDK sends to its default {url}",
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

/// How to start a collector on this host, with Docker and without, for fixes.
pub const START_COLLECTOR: &str = "`docker run --rm -p 4317:4317 -p 4318:4318 otel/opentelemetry-collector`; without Docker, \
     download the `jaeger` binary from https://github.com/jaegertracing/jaeger/releases and run \
     `./jaeger` (OTLP on 4317 and 4318, UI on 16686)";

/// Whether the OTLP exporter is in use (OTEL_TRACES_EXPORTER unset or naming otlp).
fn otlp_in_use(ctx: &Context) -> bool {
    ctx.settings
        .var("OTEL_TRACES_EXPORTER")
        .is_none_or(|v| v.split(',').any(|e| e.trim().eq_ignore_ascii_case("otlp")))
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

/// Every TCP endpoint to probe: the OTLP exporter's, `JAEGER_ENDPOINT`, and `--endpoint` URLs.
pub fn configured(ctx: &Context) -> Vec<Configured> {
    let mut all: Vec<Configured> = otlp(ctx).into_iter().collect();
    if let Some(target) = ctx
        .settings
        .var("JAEGER_ENDPOINT")
        .and_then(|v| Url::parse(v.trim()).ok())
        .and_then(|u| Target::from_url(&u))
    {
        all.push(Configured {
            subject: "JAEGER_ENDPOINT".into(),
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

/// The Jaeger agent the settings point at, when JAEGER_AGENT_HOST or JAEGER_AGENT_PORT is set.
pub fn agent(ctx: &Context) -> Option<UdpTarget> {
    let host = ctx.settings.var("JAEGER_AGENT_HOST");
    let port = ctx.settings.var("JAEGER_AGENT_PORT");
    if host.is_none() && port.is_none() {
        return None;
    }
    Some(UdpTarget {
        host: host.unwrap_or("localhost").trim().to_string(),
        port: port.and_then(|p| p.trim().parse().ok()).unwrap_or(6831),
    })
}

/// `localhost`, `*.localhost`, 127.0.0.0/8 and ::1.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.to_ascii_lowercase().ends_with(".localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
