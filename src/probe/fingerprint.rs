//! One endpoint's fingerprint: resolve, connect to every address, then in parallel try a TLS
//! handshake, a plaintext `GET /` and an HTTP/2 preface; then, on whichever transport works, a
//! real OTLP gRPC Export (and Jaeger's PostSpans when OTLP is unimplemented) and the well-known
//! HTTP paths (OTLP, Jaeger collector and query, Zipkin). Everything under one deadline.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, SystemTime};

use futures_util::future::join_all;
use serde::Serialize;
use url::Url;

use super::Deadline;
use super::bytes::{Shape, escape, shape};
use super::dns::{self, Resolution};
use super::grpc::{self, GrpcProbe, Peer};
use super::h2::{self, H2Probe};
use super::http1::{self, Reply, Request, Response};
use super::tcp::{self, Connect};
use super::tls::{self, TlsProbe};
use super::udp::{self, UdpProbe};

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

pub const OTLP_PATH: &str = "/v1/traces";

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
            .any(|r| (200..300).contains(&r.status) || r.status == 400 || r.status == 415);
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

pub const JAEGER_COLLECTOR: &str = "/api/traces";
pub const JAEGER_QUERY_V3: &str = "/api/v3/services";
pub const JAEGER_QUERY_V1: &str = "/api/services";
pub const ZIPKIN: &str = "/api/v2/spans";

/// How to open a fresh connection to the chosen address, with or without TLS.
#[derive(Clone)]
struct Dial {
    addr: SocketAddr,
    host: String,
    authority: String,
    tls: bool,
}

impl Dial {
    async fn http(&self, req: Request<'_>, deadline: Deadline) -> Reply {
        let (connect, stream) = tcp::connect(self.addr, deadline).await;
        let Some(stream) = stream else {
            // A peer that resets every connection may let the first one through and reset the
            // next: that reset is the answer, not a failure of the probe.
            return match connect {
                Connect::Reset => Reply::Reset,
                other => Reply::Failed {
                    error: format!("reconnect failed: {other:?}"),
                },
            };
        };
        if !self.tls {
            return http1::exchange(stream, &req, deadline).await;
        }
        match tls::handshake(stream, &self.host, &[b"http/1.1"], deadline).await {
            (_, Some(tls)) => http1::exchange(tls, &req, deadline).await,
            (probe, None) => Reply::Failed {
                error: probe.describe(),
            },
        }
    }

    async fn path(
        &self,
        method: &'static str,
        path: String,
        content_type: &str,
        body: &[u8],
        deadline: Deadline,
    ) -> PathProbe {
        let req = Request {
            method,
            path: &path,
            host: &self.authority,
            content_type: Some(content_type),
            body,
        };
        let reply = self.http(req, deadline).await;
        PathProbe {
            method,
            path,
            reply,
        }
    }
}

/// Fingerprints `target`; returns by `deadline` whatever happens.
pub async fn probe(target: &Target, deadline: Deadline) -> Fingerprint {
    let started = Deadline::now();
    let mut fp = Fingerprint {
        target: target.clone(),
        dns: dns::resolve(&target.host, deadline).await,
        connects: Vec::new(),
        addr: None,
        tls: None,
        plain: None,
        secure: None,
        h2: None,
        grpc_otlp: None,
        grpc_jaeger: None,
        paths: Vec::new(),
        elapsed: Duration::ZERO,
    };
    let addrs: Vec<SocketAddr> = fp
        .dns
        .addrs()
        .iter()
        .take(4)
        .map(|ip| SocketAddr::new(*ip, target.port))
        .collect();
    let attempts = join_all(addrs.iter().map(|a| tcp::connect(*a, deadline))).await;
    let mut first = None;
    for (addr, (result, stream)) in addrs.iter().zip(attempts) {
        if first.is_none() && stream.is_some() {
            first = Some(*addr);
        }
        fp.connects.push(AddrConnect {
            addr: *addr,
            result,
        });
    }
    fp.addr = first;
    if let Some(addr) = first {
        transport_probes(&mut fp, addr, deadline).await;
        app_probes(&mut fp, addr, deadline).await;
    }
    fp.elapsed = started.elapsed();
    fp
}

async fn transport_probes(fp: &mut Fingerprint, addr: SocketAddr, deadline: Deadline) {
    let host = fp.target.host.clone();
    let plain = Dial {
        addr,
        host: host.clone(),
        authority: fp.target.authority(),
        tls: false,
    };
    let tls = async {
        match tcp::connect(addr, deadline).await {
            (_, Some(s)) => Some(
                tls::handshake(s, &host, &[b"h2", b"http/1.1"], deadline)
                    .await
                    .0,
            ),
            (c, None) => Some(TlsProbe::Failed {
                error: format!("reconnect failed: {c:?}"),
                first_bytes: Vec::new(),
            }),
        }
    };
    let get = plain.http(
        Request {
            method: "GET",
            path: "/",
            host: &plain.authority,
            content_type: None,
            body: b"",
        },
        deadline,
    );
    let h2 = async {
        match tcp::connect(addr, deadline).await {
            (_, Some(s)) => h2::preface(s, deadline).await,
            (c, None) => H2Probe::Failed {
                error: format!("reconnect failed: {c:?}"),
            },
        }
    };
    let (tls, get, h2) = tokio::join!(tls, get, h2);
    fp.tls = tls;
    fp.plain = Some(get);
    fp.h2 = Some(h2);
}

async fn app_probes(fp: &mut Fingerprint, addr: SocketAddr, deadline: Deadline) {
    let secure = fp.tls_completed();
    let dial = Dial {
        addr,
        host: fp.target.host.clone(),
        authority: fp.target.authority(),
        tls: secure,
    };
    if secure {
        fp.secure = Some(
            dial.http(
                Request {
                    method: "GET",
                    path: "/",
                    host: &dial.authority,
                    content_type: None,
                    body: b"",
                },
                deadline,
            )
            .await,
        );
    }
    let authority = addr.to_string();
    let peer = Peer {
        authority: &authority,
        tls_name: secure.then_some(fp.target.host.as_str()),
    };
    let grpc = async {
        if !fp.speaks_h2() {
            return (None, None);
        }
        let otlp = grpc::otlp_export(&peer, deadline).await;
        let jaeger = if otlp.code() == Some(tonic::Code::Unimplemented) {
            Some(grpc::jaeger_post_spans(&peer, deadline).await)
        } else {
            None
        };
        (Some(otlp), jaeger)
    };
    let http = async {
        if fp.http1().is_none() {
            return Vec::new();
        }
        let mut otlp_paths = vec![fp.target.otlp_path.clone()];
        if fp.target.otlp_path != OTLP_PATH {
            otlp_paths.push(OTLP_PATH.to_string());
        }
        let mut probes: Vec<_> = otlp_paths
            .into_iter()
            .map(|p| dial.path("POST", p, "application/x-protobuf", b"", deadline))
            .collect();
        probes.push(dial.path(
            "POST",
            JAEGER_COLLECTOR.into(),
            "application/x-thrift",
            b"",
            deadline,
        ));
        probes.push(dial.path("POST", ZIPKIN.into(), "application/json", b"[]", deadline));
        probes.push(dial.path(
            "GET",
            JAEGER_QUERY_V3.into(),
            "application/json",
            b"",
            deadline,
        ));
        let mut done = join_all(probes).await;
        let v3_missing = done
            .last()
            .and_then(|p| p.reply.response())
            .is_some_and(|r| r.status == 404);
        if v3_missing {
            done.push(
                dial.path(
                    "GET",
                    JAEGER_QUERY_V1.into(),
                    "application/json",
                    b"",
                    deadline,
                )
                .await,
            );
        }
        done
    };
    let ((otlp, jaeger), paths) = tokio::join!(grpc, http);
    fp.grpc_otlp = otlp;
    fp.grpc_jaeger = jaeger;
    fp.paths = paths;
}

/// A UDP endpoint (Jaeger agent ports).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct UdpTarget {
    pub host: String,
    pub port: u16,
}

/// What one datagram to a UDP endpoint gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UdpFingerprint {
    pub target: UdpTarget,
    pub dns: Resolution,
    pub addr: Option<SocketAddr>,
    pub result: Option<UdpProbe>,
}

impl UdpFingerprint {
    pub fn summary(&self) -> String {
        match &self.result {
            Some(UdpProbe::Closed) => "closed (ICMP port unreachable)".into(),
            Some(UdpProbe::Silent) => "no ICMP error: open, or filtered".into(),
            Some(UdpProbe::Answered(n)) => format!("answered ({n} bytes)"),
            Some(UdpProbe::Failed(e)) => format!("probe failed: {e}"),
            None => "does not resolve".into(),
        }
    }
}

/// Sends one empty datagram to the first address of `target`. Waits 250 ms for an ICMP error
/// on loopback, 1 s elsewhere (never past `deadline`).
pub async fn probe_udp(target: &UdpTarget, deadline: Deadline) -> UdpFingerprint {
    let dns = dns::resolve(&target.host, deadline).await;
    let addr = dns
        .addrs()
        .first()
        .map(|ip: &IpAddr| SocketAddr::new(*ip, target.port));
    let result = match addr {
        Some(a) => {
            let wait = if a.ip().is_loopback() {
                Duration::from_millis(250)
            } else {
                Duration::from_secs(1)
            };
            Some(udp::probe(a, b"", wait, deadline).await)
        }
        None => None,
    };
    UdpFingerprint {
        target: target.clone(),
        dns,
        addr,
        result,
    }
}
