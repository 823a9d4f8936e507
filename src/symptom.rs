//! One sentence per fact a fingerprint shows, the same in doctor's findings and in
//! `send-test-span`'s receipt; each caller adds who is affected and its own fix.

use crate::probe::Fingerprint;
use crate::probe::bytes::{Shape, escape, shape};
use crate::probe::dns::Resolution;
use crate::probe::fingerprint::{OTLP_PATH, Service};
use crate::probe::grpc::GrpcProbe;
use crate::probe::http1::{HeadCut, Reply};
use crate::probe::tcp::Connect;

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
        Reply::UnfinishedHead {
            status_line,
            bytes,
            cut,
        } => Some(match cut {
            HeadCut::TooLong => format!(
                "{authority} answers `{status_line}` and then sends header lines without end: \
                 more than {} KiB of head with no blank line ending it ({bytes} bytes read), \
                 which no HTTP client accepts.",
                crate::probe::http1::HEAD_LIMIT / 1024
            ),
            HeadCut::Deadline => format!(
                "{authority} answers `{status_line}` but does not finish the header before the \
                 deadline ({bytes} bytes of head, no blank line ending it): clients time out."
            ),
            HeadCut::Closed => format!(
                "{authority} answers `{status_line}` and closes the connection in the middle of \
                 the header ({bytes} bytes): clients see a truncated response."
            ),
        }),
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

/// An HTTP/1.1 port, to a gRPC client (PRO001). What is quoted comes from this run's evidence
/// (the gRPC Export's answer) or from [`CLIENT_LOGS`], named as such.
pub fn http1_not_grpc(fp: &Fingerprint) -> Option<String> {
    let r = fp.http1()?;
    let authority = fp.target.authority();
    let status = r.status_line();
    Some(match &fp.grpc_otlp {
        Some(g @ GrpcProbe::Status { name, message, .. }) => {
            let logged = http_status_in(message)
                .map(|n| {
                    format!(
                        " SDKs log it as, e.g., Python: `StatusCode.{} … Received http2 header with status: {n}` ({}).",
                        name.to_ascii_uppercase(),
                        CLIENT_LOGS[0].source
                    )
                })
                .unwrap_or_default();
            format!(
                "{authority} answers HTTP/1.1 (`{status}`) and HTTP/2, but not OTLP/gRPC: this run's Export got `{}`.{logged}",
                g.describe()
            )
        }
        Some(GrpcProbe::Transport { error }) => format!(
            "{authority} answers HTTP/1.1 (`{status}`), not HTTP/2: gRPC cannot work here. This run's Export failed with `{error}`; {}",
            framing_logs()
        ),
        _ => format!(
            "{authority} answers HTTP/1.1 (`{status}`): gRPC cannot work here; {}",
            framing_logs()
        ),
    })
}

/// What a client logs, with where that was read or measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientLog {
    pub client: &'static str,
    pub situation: &'static str,
    pub logs: &'static str,
    pub source: &'static str,
}

/// What SDKs really log in the situations the sentences above describe.
pub const CLIENT_LOGS: &[ClientLog] = &[
    ClientLog {
        client: "Python (opentelemetry-exporter-otlp-proto-grpc 1.45.2, grpcio 1.85.1)",
        situation: "gRPC Export to an HTTP port that also speaks HTTP/2 and answers 404",
        logs: "Failed to export traces to HOST:PORT, error code: StatusCode.UNIMPLEMENTED, error details: Received http2 header with status: 404",
        source: "measured against rotel's HTTP port, tests/integration/live_peers.rs",
    },
    ClientLog {
        client: "grpc-go",
        situation: "gRPC to an HTTP/1.1-only server",
        logs: "rpc error: code = Unavailable desc = connection error: desc = \"error reading server preface: http2: frame too large\"",
        source: "field guide B2 (grpc-go transport)",
    },
    ClientLog {
        client: "Rust tonic/h2",
        situation: "gRPC to an HTTP/1.1-only server",
        logs: "h2 protocol error: http2 error: connection error detected: frame with invalid size",
        source: "field guide B2 (h2)",
    },
];

/// The HTTP status in a gRPC status message mapped from one (`… HTTP status code 404`).
fn http_status_in(message: &str) -> Option<u16> {
    let at = message.find("status code ")? + "status code ".len();
    let digits: String = message[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// What gRPC clients log against an HTTP/1.1-only server, from [`CLIENT_LOGS`].
fn framing_logs() -> String {
    format!(
        "grpc-go clients log `http2: frame too large` and Rust tonic `frame with invalid size` ({}).",
        CLIENT_LOGS[1].source
    )
}

/// An HTTP/2-only (gRPC) port, to an HTTP/1.1 client (PRO002). Quotes the bytes this run's
/// plaintext request got back, never a typical SETTINGS frame the server may not send.
pub fn h2_only(fp: &Fingerprint) -> Option<String> {
    if fp.http1().is_some() || !fp.speaks_h2() {
        return None;
    }
    let otlp = if fp.grpc_otlp == Some(GrpcProbe::Ok) {
        " and answers OTLP/gRPC"
    } else {
        ""
    };
    let got = match fp.plain.as_ref() {
        Some(Reply::NotHttp { first_bytes }) if !first_bytes.is_empty() => format!(
            ": an HTTP/1.1 request got `{}` back (this run), which HTTP/1.1 clients reject as a malformed response",
            escape(first_bytes)
        ),
        _ => ": HTTP/1.1 clients get no HTTP/1.1 response".to_string(),
    };
    Some(format!(
        "{} speaks only HTTP/2 (gRPC){otlp}{got}.",
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
