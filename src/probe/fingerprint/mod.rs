//! One endpoint's fingerprint: what was asked of a TCP endpoint and what it answered, and what
//! that shows (the services recognised, a one-line summary). The procedure that fills it is in
//! `run.rs`; the UDP counterpart in `udp.rs`.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use serde::Serialize;
use url::Url;

use super::bytes::{Shape, escape, shape};
use super::dns::Resolution;
use super::grpc::GrpcProbe;
use super::h2::H2Probe;
use super::http1::{self, Reply, Response};
use super::tcp::Connect;
use super::tls::TlsProbe;

mod run;
mod udp;

pub use run::probe;
pub use udp::{UdpFingerprint, UdpTarget, probe_udp};

/// A TCP endpoint to fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Target {
    /// Host name or IP literal (IPv6 without brackets).
    pub host: String,
    pub port: u16,
    /// Whether the client is configured to use TLS (`https://`).
    pub tls: bool,
    /// The OTLP/HTTP path to try besides `/v1/traces` (the configured one).
    pub otlp_path: String,
}

impl Target {
    pub fn new(host: impl Into<String>, port: u16) -> Target {
        Target {
            host: host.into(),
            port,
            tls: false,
            otlp_path: OTLP_PATH.to_string(),
        }
    }

    /// The target of an `http://` or `https://` URL (port defaulted from the scheme).
    pub fn from_url(url: &Url) -> Option<Target> {
        let host = match url.host()? {
            url::Host::Domain(d) => d.to_string(),
            url::Host::Ipv4(ip) => ip.to_string(),
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        let path = url.path();
        Some(Target {
            host,
            port: url.port_or_known_default()?,
            tls: url.scheme() == "https",
            otlp_path: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
        })
    }

    /// `host:port`, with brackets around IPv6 literals.
    pub fn authority(&self) -> String {
        authority(&self.host, self.port)
    }
}

fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

pub const OTLP_PATH: &str = crate::protocol::wire::OTLP_PATH;

/// One HTTP request made while fingerprinting, and its reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathProbe {
    pub method: &'static str,
    pub path: String,
    pub reply: Reply,
}

/// One connection attempt to one resolved address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddrConnect {
    pub addr: SocketAddr,
    pub result: Connect,
}

/// Everything learnt about one TCP endpoint. Fields are `None` when the step did not run
/// (e.g. nothing to talk to after a refused connect).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fingerprint {
    pub target: Target,
    pub dns: Resolution,
    pub connects: Vec<AddrConnect>,
    /// The first address that accepted a connection; later probes use it.
    pub addr: Option<SocketAddr>,
    pub tls: Option<TlsProbe>,
    /// `GET /` in plaintext.
    pub plain: Option<Reply>,
    /// `GET /` over TLS, when the handshake completed.
    pub secure: Option<Reply>,
    /// The HTTP/2 prior-knowledge preface in plaintext.
    pub h2: Option<H2Probe>,
    pub grpc_otlp: Option<GrpcProbe>,
    pub grpc_jaeger: Option<GrpcProbe>,
    pub paths: Vec<PathProbe>,
    #[serde(skip)]
    pub elapsed: Duration,
}

/// What answers on an endpoint, as far as the fingerprint can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    OtlpGrpc,
    OtlpHttp,
    JaegerGrpc,
    JaegerThriftHttp,
    JaegerQuery,
    Zipkin,
    Health,
}

impl Service {
    pub fn label(self) -> &'static str {
        match self {
            Service::OtlpGrpc => "OTLP/gRPC",
            Service::OtlpHttp => "OTLP/HTTP",
            Service::JaegerGrpc => "Jaeger gRPC collector",
            Service::JaegerThriftHttp => "Jaeger thrift HTTP collector",
            Service::JaegerQuery => "Jaeger query API",
            Service::Zipkin => "Zipkin API",
            Service::Health => "health endpoint",
        }
    }
}

impl Fingerprint {
    pub fn connected(&self) -> bool {
        self.addr.is_some()
    }

    pub fn tls_completed(&self) -> bool {
        self.tls.as_ref().is_some_and(TlsProbe::completed)
    }

    /// The `GET /` reply on the transport the app-level probes used (TLS when it worked).
    pub fn reply(&self) -> Option<&Reply> {
        if self.tls_completed() {
            self.secure.as_ref()
        } else {
            self.plain.as_ref()
        }
    }

    /// The HTTP/1.x response to `GET /`, if the endpoint speaks HTTP/1.x.
    pub fn http1(&self) -> Option<&Response> {
        self.reply().and_then(Reply::response)
    }

    /// Whether the endpoint speaks HTTP/2 (h2c preface answered, or ALPN h2 over TLS).
    pub fn speaks_h2(&self) -> bool {
        if self.tls_completed() {
            matches!(&self.tls, Some(TlsProbe::Handshake { alpn: Some(a), .. }) if a == "h2")
        } else {
            self.h2 == Some(H2Probe::ServerPreface)
                || matches!(self.plain_shape(), Some(Shape::H2Frame { .. }))
        }
    }

    /// The shape of the first bytes the server sent back to plaintext `GET /`.
    pub fn plain_shape(&self) -> Option<Shape> {
        match self.plain.as_ref()? {
            Reply::Http(_) => Some(Shape::Http1),
            Reply::NotHttp { first_bytes } if !first_bytes.is_empty() => Some(shape(first_bytes)),
            Reply::UnfinishedHead { .. } => Some(Shape::Http1),
            _ => None,
        }
    }

    /// The response to one of the HTTP probes, by path (first match).
    pub fn path(&self, path: &str) -> Option<&Response> {
        self.paths
            .iter()
            .find(|p| p.path == path)
            .and_then(|p| p.reply.response())
    }

    /// The services recognised on the endpoint.
    pub fn services(&self) -> Vec<Service> {
        let mut found = Vec::new();
        if self.grpc_otlp == Some(GrpcProbe::Ok) {
            found.push(Service::OtlpGrpc);
        }
        let otlp_http = [self.target.otlp_path.as_str(), OTLP_PATH]
            .iter()
            .filter_map(|p| self.path(p))
            .any(|r| {
                (200..300).contains(&r.status)
                    || r.status == 415
                    || (r.status == 400 && !is_jaeger_http_error(r))
            });
        if otlp_http {
            found.push(Service::OtlpHttp);
        }
        if self.grpc_jaeger == Some(GrpcProbe::Ok) {
            found.push(Service::JaegerGrpc);
        }
        if self
            .path(JAEGER_COLLECTOR)
            .is_some_and(|r| matches!(r.status, 202 | 400))
        {
            found.push(Service::JaegerThriftHttp);
        }
        let query = [JAEGER_QUERY_V3, JAEGER_QUERY_V1]
            .iter()
            .filter_map(|p| self.path(p))
            .any(|r| r.status == 200 && r.body_text().contains("{\""));
        if query {
            found.push(Service::JaegerQuery);
        }
        if self.path(ZIPKIN).is_some_and(|r| r.status == 202) {
            found.push(Service::Zipkin);
        }
        if self
            .http1()
            .is_some_and(|r| r.status == 200 && r.body_text().contains("\"status\""))
        {
            found.push(Service::Health);
        }
        found
    }

    /// One line for tables: what answered, or how the connection failed.
    pub fn summary(&self) -> String {
        match &self.dns {
            Resolution::Addrs(_) => {}
            Resolution::NotFound => return "does not resolve (NXDOMAIN)".into(),
            Resolution::NoAddress => return "resolves to no address".into(),
            Resolution::Timeout => return "DNS timed out".into(),
            Resolution::Failed(e) => return format!("DNS failed: {e}"),
        }
        if !self.connected() {
            return match self.connects.first().map(|c| &c.result) {
                Some(Connect::Refused) => "closed (connection refused)".into(),
                Some(Connect::Timeout) => "no answer to connect (filtered or host down)".into(),
                Some(Connect::Reset) => "resets the connection at once".into(),
                Some(Connect::Unreachable(e)) => format!("unreachable: {e}"),
                Some(Connect::Failed(e)) => format!("connect failed: {e}"),
                Some(Connect::Open(_)) | None => "not probed".into(),
            };
        }
        let services = self.services();
        let tls = if self.tls_completed() { "TLS, " } else { "" };
        if !services.is_empty() {
            let names: Vec<_> = services.iter().map(|s| s.label()).collect();
            return format!("{tls}{}", names.join(", "));
        }
        if let Some(g) = &self.grpc_otlp
            && g.code().is_some()
        {
            return format!("{tls}gRPC without OTLP ({})", g.describe());
        }
        if let Some(r) = self.http1() {
            return format!("{tls}HTTP/1.1 ({})", r.status_line());
        }
        if self.speaks_h2() {
            return format!("{tls}HTTP/2");
        }
        match self.reply() {
            Some(Reply::Silent) => "open, but never answers".into(),
            Some(Reply::Closed) => "open, closes without answering".into(),
            Some(Reply::Reset) => "open, resets the connection".into(),
            Some(Reply::NotHttp { first_bytes }) => {
                format!("{tls}unknown protocol: `{}`", escape(first_bytes))
            }
            Some(Reply::Failed { error }) => format!("open, {error}"),
            Some(Reply::UnfinishedHead { status_line, .. }) => {
                format!("{tls}HTTP/1.1 ({status_line}) with a head that never ends")
            }
            Some(Reply::Http(_)) | None => "open".into(),
        }
    }

    /// The server's `Date` header from any HTTP response, with our clock's midpoint of the exchange.
    pub fn date(&self) -> Option<(SystemTime, SystemTime)> {
        let responses = self
            .reply()
            .and_then(Reply::response)
            .into_iter()
            .chain(self.paths.iter().filter_map(|p| p.reply.response()));
        for r in responses {
            if let Some(server) = r.header("date").and_then(http1::parse_http_date) {
                let rtt = r.received_at.duration_since(r.sent_at).unwrap_or_default();
                return Some((server, r.sent_at + rtt / 2));
            }
        }
        None
    }
}

/// Whether a 400 is the Jaeger thrift HTTP handler's (`Unable to process request body: …`,
/// `Unsupported content type: …`), which answers any path it serves that way: not OTLP.
fn is_jaeger_http_error(r: &Response) -> bool {
    let body = r.body_text();
    body.starts_with("Unable to process request body")
        || body.starts_with("Unsupported content type")
}

pub const JAEGER_COLLECTOR: &str = crate::protocol::wire::JAEGER_HTTP_PATH;
pub const JAEGER_QUERY_V3: &str = "/api/v3/services";
pub const JAEGER_QUERY_V1: &str = "/api/services";
pub const ZIPKIN: &str = crate::protocol::wire::ZIPKIN_PATH;

#[cfg(test)]
mod tests;
