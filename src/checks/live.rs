//! What the network checks share: the run's live options, the endpoints the settings point at,
//! and sentences describing what a fingerprint saw.

use std::net::IpAddr;
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use super::Context;
use crate::host::HostFacts;
use crate::probe::bytes::{Shape, escape, shape};
use crate::probe::dns::Resolution;
use crate::probe::fingerprint::{OTLP_PATH, Service};
use crate::probe::grpc::GrpcProbe;
use crate::probe::http1::Reply;
use crate::probe::tcp::Connect;
use crate::probe::{Fingerprint, Target, UdpTarget};
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
    deadline - timeout.mul_f32(0.1).min(Duration::from_millis(300))
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

/// A sentence for a server that sent something that is neither HTTP/1.x, HTTP/2 nor TLS, or
/// nothing at all; `None` when the reply is an ordinary protocol.
pub fn oddity(fp: &Fingerprint) -> Option<String> {
    let authority = fp.target.authority();
    match fp.reply()? {
        Reply::NotHttp { first_bytes } => match shape(first_bytes) {
            Shape::Text => Some(format!(
                "{authority} answers with text that is not an HTTP status line (an HTTP/0.9-style reply): `{}`.",
                escape(first_bytes)
            )),
            Shape::Binary => Some(format!(
                "{authority} answers with bytes that are neither HTTP/1.1, HTTP/2 nor TLS: `{}`.",
                escape(first_bytes)
            )),
            Shape::TlsRecord { .. } => Some(format!(
                "{authority} answers a plaintext request with a TLS record (`{}`): the port expects TLS.",
                escape(first_bytes)
            )),
            Shape::Http1 | Shape::H2Frame { .. } => None,
        },
        _ => None,
    }
}

/// Whether the endpoint's TLS use disagrees with the client's (reported by PRO003).
pub fn tls_mismatch(fp: &Fingerprint) -> bool {
    if fp.target.tls {
        !fp.tls_completed()
            && matches!(fp.plain_shape(), Some(Shape::Http1 | Shape::H2Frame { .. }))
    } else {
        fp.tls_completed()
    }
}

// The sentences below state one fact a fingerprint shows, the same in doctor's findings and in
// `send-test-span`'s receipt; each caller adds who is affected and its own fix.

/// Why nothing could be asked: the name does not resolve or the TCP connect failed (NET001).
pub fn unreachable(fp: &Fingerprint) -> Option<String> {
    let host = &fp.target.host;
    let authority = fp.target.authority();
    let dns = match &fp.dns {
        Resolution::Addrs(_) => None,
        Resolution::NotFound => Some(format!(
            "`{host}` does not resolve: the DNS server says the name does not exist (NXDOMAIN)."
        )),
        Resolution::NoAddress => Some(format!(
            "`{host}` exists in DNS but has no IPv4 or IPv6 address."
        )),
        Resolution::Timeout => Some(format!(
            "Resolving `{host}` got no answer before the deadline."
        )),
        Resolution::Failed(e) => Some(format!("Resolving `{host}` failed: {e}.")),
    };
    if dns.is_some() || fp.connected() {
        return dns;
    }
    Some(match &fp.connects.first()?.result {
        Connect::Refused => format!("Nothing listens on {authority}: the connection was refused."),
        Connect::Timeout => format!(
            "Connecting to {authority} got no answer before the deadline: a firewall drops the packets, or the host is down."
        ),
        Connect::Reset => {
            format!("{authority} accepts connections, then resets them without answering.")
        }
        Connect::Unreachable(e) => format!("{authority} is unreachable: {e}."),
        Connect::Failed(e) => format!("Connecting to {authority} failed: {e}."),
        Connect::Open(_) => return None,
    })
}

/// A port that accepts connections and then says nothing in any protocol (NET001).
pub fn dead(fp: &Fingerprint) -> Option<String> {
    let dead = |r: Option<&Reply>| matches!(r, Some(Reply::Silent | Reply::Closed | Reply::Reset));
    let tls_dead = fp.tls.as_ref().is_none_or(|t| !t.completed());
    if !fp.connected() || !dead(fp.plain.as_ref()) || !tls_dead || fp.speaks_h2() {
        return None;
    }
    let what = match fp.plain.as_ref() {
        Some(Reply::Silent) => {
            "accepts connections but never answers: no byte came back before the deadline"
        }
        Some(Reply::Reset) => "accepts connections, then resets them without answering",
        _ => "accepts connections, then closes them without answering",
    };
    Some(format!("{} {what}.", fp.target.authority()))
}

/// TLS on one side only (PRO003): what the port speaks instead.
pub fn tls_mismatch_fact(fp: &Fingerprint) -> Option<String> {
    if !fp.connected() || !tls_mismatch(fp) {
        return None;
    }
    let authority = fp.target.authority();
    let tls = fp.tls.as_ref().map(|t| t.describe()).unwrap_or_default();
    Some(if fp.target.tls {
        let what = match fp.plain_shape() {
            Some(Shape::H2Frame { .. }) => "plaintext HTTP/2 (gRPC)",
            _ => "plaintext HTTP/1.1",
        };
        format!("{authority} does not speak TLS, it speaks {what}: {tls}.")
    } else {
        format!("{authority} speaks TLS: {tls}. Plaintext clients get the connection closed.")
    })
}

/// An HTTP/1.1 port, to a gRPC client (PRO001).
pub fn http1_not_grpc(fp: &Fingerprint) -> Option<String> {
    let r = fp.http1()?;
    Some(format!(
        "{} answers HTTP/1.1 (`{}`): gRPC cannot work here; exports fail with `http2: frame too large` or `frame with invalid size`.",
        fp.target.authority(),
        r.status_line()
    ))
}

/// An HTTP/2-only (gRPC) port, to an HTTP/1.1 client (PRO002).
pub fn h2_only(fp: &Fingerprint) -> Option<String> {
    if fp.http1().is_some() || !fp.speaks_h2() {
        return None;
    }
    let otlp = if fp.grpc_otlp == Some(GrpcProbe::Ok) {
        " and answers OTLP/gRPC"
    } else {
        ""
    };
    Some(format!(
        "{} speaks only HTTP/2 (gRPC){otlp}: HTTP/1.1 clients fail with `malformed HTTP response \"\\x00\\x00\\x06\\x04…\"`.",
        fp.target.authority()
    ))
}

/// Jaeger's gRPC collector (14250) where OTLP/gRPC was expected (PRO001).
pub fn jaeger_grpc(fp: &Fingerprint) -> Option<String> {
    let answers = fp.services().contains(&Service::JaegerGrpc)
        || fp
            .grpc_jaeger
            .as_ref()
            .is_some_and(|j| j.code().is_some_and(|c| c != tonic::Code::Unimplemented));
    answers.then(|| format!(
        "{} is a Jaeger gRPC collector (jaeger.api_v2.CollectorService answers), not an OTLP receiver: Export gets UNIMPLEMENTED (`unknown service opentelemetry.proto.collector.trace.v1.TraceService`).",
        fp.target.authority()
    ))
}

/// A gRPC server without the OTLP trace service (PRO001).
pub fn grpc_without_otlp(fp: &Fingerprint) -> Option<String> {
    matches!(fp.grpc_otlp, Some(GrpcProbe::Status { code: 12, .. })).then(|| {
        format!(
            "{} is a gRPC server without the OTLP trace service: Export gets UNIMPLEMENTED.",
            fp.target.authority()
        )
    })
}

/// What a refused `POST` to an OTLP/HTTP path means, as the fingerprint tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathAnswer {
    /// 404, and the port is Jaeger's thrift HTTP collector.
    JaegerThrift,
    /// 404 on the configured path, but `/v1/traces` is an OTLP receiver.
    WrongPath,
    /// 404 and no OTLP receiver found.
    NotOtlp,
    /// 405: the path exists but takes no POST.
    NoPost,
    /// 415 to protobuf.
    NoProtobuf,
}

/// The fact behind `status` for `POST path` (404, 405, 415; PRO002), with its sentence.
pub fn path_answer(fp: &Fingerprint, path: &str, status: u16) -> Option<(PathAnswer, String)> {
    let authority = fp.target.authority();
    let body = fp.path(path).map(|r| r.body_text()).unwrap_or_default();
    let services = fp.services();
    Some(match status {
        404 if services.contains(&Service::JaegerThriftHttp) => (
            PathAnswer::JaegerThrift,
            format!(
                "{authority} is Jaeger's thrift HTTP collector (POST /api/traces answers), not an OTLP/HTTP receiver: POST {path} answers 404."
            ),
        ),
        404 if path != OTLP_PATH && services.contains(&Service::OtlpHttp) => (
            PathAnswer::WrongPath,
            format!(
                "POST {path} on {authority} answers 404, but POST {OTLP_PATH} is an OTLP receiver: the path is wrong."
            ),
        ),
        404 => {
            let what = if services.is_empty() {
                String::new()
            } else {
                let names: Vec<_> = services.iter().map(|s| s.label()).collect();
                format!(" It answers as: {}.", names.join(", "))
            };
            (
                PathAnswer::NotOtlp,
                format!(
                    "POST {path} on {authority} answers 404 (`{body}`): no OTLP/HTTP receiver there.{what}"
                ),
            )
        }
        405 => (
            PathAnswer::NoPost,
            format!(
                "POST {path} on {authority} answers 405 Method Not Allowed: the path exists but does not take POST, so this is not an OTLP receiver (a UI or query API?)."
            ),
        ),
        415 => (
            PathAnswer::NoProtobuf,
            format!(
                "POST {path} on {authority} answers 415 Unsupported Media Type to application/x-protobuf: the receiver does not take protobuf (`{body}`)."
            ),
        ),
        _ => return None,
    })
}

#[cfg(test)]
pub mod fake {
    //! Peers for the live checks' unit tests, on 127.0.0.1 ports the OS picks.

    use std::net::SocketAddr;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// Answers every connection with `reply` after reading the request.
    pub async fn replying(reply: &'static [u8]) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut b = [0u8; 2048];
                    let _ = s.read(&mut b).await;
                    let _ = s.write_all(reply).await;
                });
            }
        });
        addr
    }

    /// An HTTP/1.1 server answering `status` with `body` to everything.
    pub async fn http(status: &'static str, body: &'static str) -> SocketAddr {
        let reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n{body}",
            body.len()
        );
        replying(Box::leak(reply.into_boxed_str()).as_bytes()).await
    }

    /// A TLS-only server (self-signed certificate for localhost and 127.0.0.1, ALPN h2 and
    /// http/1.1) answering `HTTP/1.1 204` to every request after the handshake.
    pub async fn tls() -> SocketAddr {
        use std::sync::Arc;

        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};

        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
        let cert = CertificateDer::from_pem_file(format!("{dir}/cert.pem")).unwrap();
        let key = PrivateKeyDer::from_pem_file(format!("{dir}/key.pem")).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((s, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    if let Ok(mut tls) = acceptor.accept(s).await {
                        let mut b = [0u8; 2048];
                        let _ = tls.read(&mut b).await;
                        let _ = tls
                            .write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                            .await;
                        let _ = tls.shutdown().await;
                    }
                });
            }
        });
        addr
    }

    /// A port nothing listens on.
    pub async fn closed() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    }
}
