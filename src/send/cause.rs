//! Why a send failed, in plain words: the transport error and the HTTP or gRPC answer are
//! classified, and when they are ambiguous the port is fingerprinted (what does it answer to an
//! HTTP/1.1 request?). The probe layer will replace [`fingerprint`] with doctor's.

use std::time::Duration;

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::cli::SendProtocol;

use super::{Delivery, Target, Verdict};

/// A failure explained: what is wrong and what to try.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// What a TCP port answers to a short HTTP/1.1 request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fingerprint {
    Refused,
    /// Accepted the connection, said nothing.
    Silent,
    /// Closed the connection without a byte.
    Closed,
    /// An HTTP/1.x status line.
    Http1(String),
    /// An HTTP/2 frame: a prior-knowledge HTTP/2 (gRPC) server.
    Http2,
    /// A TLS record: the port wants TLS.
    Tls,
    Other(String),
}

/// Connects and sends `GET / HTTP/1.1`, then reads what comes back within `wait`.
pub async fn fingerprint(host: &str, port: u16, wait: Duration) -> Fingerprint {
    let connect = tokio::time::timeout(wait, TcpStream::connect((host, port))).await;
    let mut stream = match connect {
        Ok(Ok(s)) => s,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            return Fingerprint::Refused;
        }
        Ok(Err(e)) => return Fingerprint::Other(e.to_string()),
        Err(_) => return Fingerprint::Silent,
    };
    let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return Fingerprint::Closed;
    }
    let mut buf = [0u8; 64];
    match tokio::time::timeout(wait, stream.read(&mut buf)).await {
        Err(_) => Fingerprint::Silent,
        Ok(Err(_)) | Ok(Ok(0)) => Fingerprint::Closed,
        Ok(Ok(n)) => classify(buf.get(..n).unwrap_or_default()),
    }
}

fn classify(bytes: &[u8]) -> Fingerprint {
    if bytes.starts_with(b"HTTP/1.") {
        let line = String::from_utf8_lossy(bytes);
        let line = line.lines().next().unwrap_or_default().trim().to_owned();
        return Fingerprint::Http1(line);
    }
    match bytes {
        [0x15 | 0x16, 0x03, ..] => Fingerprint::Tls,
        [_, _, _, 0x04 | 0x07, ..] => Fingerprint::Http2,
        _ => Fingerprint::Other(hex::encode(bytes.get(..8).unwrap_or(bytes))),
    }
}

fn has(text: &str, needles: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    needles.iter().any(|n| lower.contains(n))
}

/// Explains a failed delivery; `None` when it succeeded.
pub async fn explain(delivery: &Delivery, target: &Target, timeout: Duration) -> Option<Cause> {
    match delivery.verdict {
        Verdict::Accepted | Verdict::Sent => None,
        Verdict::PartiallyRejected => {
            let p = delivery.answer.partial_success.as_ref()?;
            Some(Cause {
                summary: format!(
                    "the receiver refused {} span(s): {}",
                    p.rejected_spans,
                    if p.error_message.is_empty() {
                        "it gave no reason"
                    } else {
                        &p.error_message
                    }
                ),
                fix: Some("check the receiver's limits and filters (its log says more)".into()),
            })
        }
        Verdict::Rejected => Some(rejected(delivery, target)),
        Verdict::Unreachable => {
            let error = delivery.error.clone().unwrap_or_default();
            let host = target.url.host_str().unwrap_or("localhost").to_owned();
            let port = target.url.port_or_known_default().unwrap_or(0);
            let print = if target.protocol.is_udp() {
                None
            } else {
                Some(fingerprint(&host, port, timeout.min(Duration::from_millis(500))).await)
            };
            Some(unreachable(&error, target, print.as_ref(), timeout))
        }
    }
}

fn rejected(delivery: &Delivery, target: &Target) -> Cause {
    let a = &delivery.answer;
    let path = target.url.path();
    let wanted = target.protocol.default_path();
    if let Some(code) = a.grpc_code.as_deref() {
        let message = a.grpc_message.clone().unwrap_or_default();
        return match code {
            "Unimplemented" => Cause {
                summary: format!(
                    "this port speaks HTTP/2 but has no OTLP trace service ({message}); it is likely an OTLP/HTTP port"
                ),
                fix: Some("try --protocol http/protobuf, or the gRPC port (4317)".into()),
            },
            "Unauthenticated" | "PermissionDenied" => Cause {
                summary: format!("the receiver wants credentials: {code} ({message})"),
                fix: Some(
                    "add --header authorization=... or set OTEL_EXPORTER_OTLP_HEADERS".into(),
                ),
            },
            "ResourceExhausted" | "Unavailable" => Cause {
                summary: format!("the receiver is overloaded or shutting down: {code} ({message})"),
                fix: Some("retry later, or check the receiver's memory limiter and queue".into()),
            },
            _ => Cause {
                summary: format!("the receiver refused the request: {code} ({message})"),
                fix: None,
            },
        };
    }
    let status = a.http_status.unwrap_or(0);
    let body = a
        .body
        .as_deref()
        .map(|b| format!(": {b}"))
        .unwrap_or_default();
    match status {
        404 | 405 => Cause {
            summary: format!("nothing takes spans at {path} on this port (HTTP {status})"),
            fix: (path != wanted && !wanted.is_empty())
                .then(|| format!("{} receivers take POST {wanted}", target.protocol.as_str()))
                .or_else(|| {
                    Some(format!(
                        "check the port: {} usually listens on {}",
                        target.protocol.as_str(),
                        target.protocol.default_port()
                    ))
                }),
        },
        400 | 415 if target.protocol == SendProtocol::HttpJson => Cause {
            summary: format!("the receiver refused the OTLP/JSON body (HTTP {status}){body}"),
            fix: Some("try --protocol http/protobuf: not every receiver takes JSON".into()),
        },
        401 | 403 => Cause {
            summary: format!("the receiver wants credentials (HTTP {status}){body}"),
            fix: Some("add --header authorization=... (or OTEL_EXPORTER_OTLP_HEADERS)".into()),
        },
        413 => Cause {
            summary: format!("the request is too large for the receiver (HTTP 413){body}"),
            fix: Some("send fewer spans (--spans) or enable --compression gzip".into()),
        },
        429 | 503 => Cause {
            summary: format!("the receiver is overloaded (HTTP {status}){body}"),
            fix: Some("retry later, or check the receiver's queue and memory limiter".into()),
        },
        500..=599 => Cause {
            summary: format!(
                "the receiver failed while handling the request (HTTP {status}){body}"
            ),
            fix: Some("check the receiver's log".into()),
        },
        _ => Cause {
            summary: format!("the receiver refused the request (HTTP {status}){body}"),
            fix: None,
        },
    }
}

fn unreachable(
    error: &str,
    target: &Target,
    print: Option<&Fingerprint>,
    timeout: Duration,
) -> Cause {
    let host = target.url.host_str().unwrap_or("localhost");
    let port = target.url.port_or_known_default().unwrap_or(0);
    let protocol = target.protocol;
    let is_grpc = protocol == SendProtocol::Grpc;
    let https = target.url.scheme() == "https";
    let timeout = humantime::format_duration(timeout);
    let cause = |summary: String, fix: Option<String>| Cause { summary, fix };
    if has(
        error,
        &[
            "dns error",
            "failed to lookup",
            "name or service not known",
            "cannot resolve",
            "resolves to no address",
        ],
    ) {
        return cause(
            format!("the host name {host} does not resolve"),
            Some("check the host name, or use an IP address".into()),
        );
    }
    if has(
        error,
        &["certificate", "unknownissuer", "invalid peer certificate"],
    ) {
        return cause(
            format!("the TLS certificate of {host}:{port} is not trusted: {error}"),
            Some("pass the CA with --ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)".into()),
        );
    }
    if https
        && has(
            error,
            &[
                "corrupt message",
                "invalidcontenttype",
                "wrong version number",
            ],
        )
    {
        return cause(
            format!("{host}:{port} does not speak TLS, but the URL is https"),
            Some(format!(
                "use http://{host}:{port}{}",
                if is_grpc {
                    " (or --insecure when the endpoint has no scheme)"
                } else {
                    ""
                }
            )),
        );
    }
    if protocol.is_udp() {
        return if has(error, &["refused"]) {
            cause(
                format!(
                    "nothing listens on UDP {host}:{port}: the host answered \"port unreachable\""
                ),
                Some(format!(
                    "start the Jaeger agent, or point --endpoint at it (default port {})",
                    protocol.default_port()
                )),
            )
        } else {
            cause(format!("the datagrams could not be sent: {error}"), None)
        };
    }
    let other_http = if is_grpc {
        "--protocol http/protobuf or port 4318"
    } else {
        "--protocol grpc or port 4317"
    };
    match print {
        Some(Fingerprint::Refused) => cause(
            format!("nothing listens on {host}:{port} (connection refused)"),
            Some(format!(
                "start the receiver, or point --endpoint at it ({} usually listens on {})",
                protocol.as_str(),
                protocol.default_port()
            )),
        ),
        Some(Fingerprint::Http1(line)) if https => cause(
            format!("this port answers plain HTTP ({line}), not TLS"),
            Some(format!("use http:// instead of https://{}", if is_grpc { " (or --insecure)" } else { "" })),
        ),
        Some(Fingerprint::Http1(line)) if is_grpc => cause(
            format!("this port answers HTTP/1.1 ({line}); gRPC cannot work here"),
            Some("try --protocol http/protobuf, or port 4317".into()),
        ),
        Some(Fingerprint::Http2) if !is_grpc => cause(
            "this port speaks only HTTP/2 (a gRPC port); OTLP/HTTP, Jaeger and Zipkin need HTTP/1.1 here".into(),
            Some(format!("try {other_http}")),
        ),
        Some(Fingerprint::Tls) if !https => cause(
            format!("this port speaks TLS, but the URL is {}", target.url.scheme()),
            Some("use https:// (and --ca-file if the certificate is private)".into()),
        ),
        Some(Fingerprint::Silent) => cause(
            format!("{host}:{port} accepted the connection but never answered within {timeout}"),
            Some("check that this is the receiver's port and that it is not stuck; a firewall or proxy may be swallowing the request".into()),
        ),
        Some(Fingerprint::Closed) if https || has(error, &["tls", "handshake", "corrupt"]) => cause(
            format!("{host}:{port} closed the connection during the TLS handshake: it may not speak TLS"),
            Some("try http:// instead of https://".into()),
        ),
        Some(Fingerprint::Closed) => cause(
            format!("{host}:{port} accepts connections and closes them without a word"),
            Some(format!("check the port; for {} it is usually {}", protocol.as_str(), protocol.default_port())),
        ),
        _ if has(error, &["timed out", "deadline", "elapsed", "--timeout"]) => cause(
            format!("no answer from {host}:{port} within {timeout}"),
            Some("check the port and any firewall; raise --timeout for a slow network".into()),
        ),
        _ => cause(format!("the send failed: {error}"), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bytes_say_what_listens() {
        assert_eq!(
            classify(b"HTTP/1.1 400 Bad Request\r\n"),
            Fingerprint::Http1("HTTP/1.1 400 Bad Request".into())
        );
        assert_eq!(classify(&[0, 0, 0x12, 4, 0]), Fingerprint::Http2);
        assert_eq!(classify(&[0x15, 3, 3, 0, 2]), Fingerprint::Tls);
        assert!(matches!(classify(b"xyzw"), Fingerprint::Other(_)));
    }
}
