//! Why a send failed, in doctor's terms: an answer that explains itself (credentials, overload,
//! a 5xx, partial success) is read as it is; anything else — no answer, a transport error, a 404,
//! an UNIMPLEMENTED — is explained by fingerprinting the port once with the probe layer
//! ([`probe::fingerprint::probe`]), in the sentences doctor's checks use ([`live`]).

use std::time::Duration;

use serde::Serialize;

use crate::checks::live::{self, PathAnswer};
use crate::probe::fingerprint::OTLP_PATH;
use crate::probe::{self, Deadline, Fingerprint};
use crate::send::SendProtocol;
use crate::settings::{OtlpTraces, Settings, otlp};

use super::{Delivery, Target, Verdict};

/// A failure explained: what is wrong and what to try.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

fn cause(summary: impl Into<String>, fix: impl Into<String>) -> Cause {
    Cause {
        summary: summary.into(),
        fix: Some(fix.into()),
    }
}

/// The least time the fingerprint gets when the send used up `--timeout` (capped by it).
const PROBE_FLOOR: Duration = Duration::from_secs(1);

/// When the fingerprint of a failed send must be done: what is left of `timeout` after a send
/// that took `latency`, but at least `min(timeout, 1 s)`, so a send that timed out is explained.
pub fn probe_deadline(latency: Duration, timeout: Duration) -> Deadline {
    let left = timeout.saturating_sub(latency);
    Deadline::now() + left.max(timeout.min(PROBE_FLOOR))
}

/// Whose words a fix is written in: send-test-span's flags, or, for doctor's end-to-end check, the
/// variables of the app's settings (the same change, made where the app reads it).
#[derive(Debug, Clone, Copy)]
pub enum Terms<'a> {
    Flags,
    Settings(&'a Settings),
}

impl Terms<'_> {
    fn otlp(&self) -> Option<&OtlpTraces> {
        match self {
            Terms::Flags => None,
            Terms::Settings(s) => Some(&s.otlp),
        }
    }

    fn endpoint_var(o: &OtlpTraces) -> &'static str {
        o.endpoint.var.unwrap_or(otlp::ENDPOINT)
    }

    /// How to aim the sender at the receiver.
    fn point_endpoint(&self) -> String {
        match self.otlp() {
            None => "point --endpoint at it".into(),
            Some(o) => format!("set {} to its URL", Self::endpoint_var(o)),
        }
    }

    /// How to send to `url` instead.
    fn use_endpoint(&self, url: &str) -> String {
        match self.otlp() {
            None => format!("use --endpoint {url}"),
            Some(o) => format!("set {}={url}", Self::endpoint_var(o)),
        }
    }

    /// How to switch to OTLP transport `protocol`.
    fn protocol(&self, protocol: &str) -> String {
        match self.otlp() {
            None => format!("--protocol {protocol}"),
            Some(o) => format!("{}={protocol}", o.protocol.var.unwrap_or(otlp::PROTOCOL)),
        }
    }

    fn insecure(&self) -> String {
        match self.otlp() {
            None => "--insecure".into(),
            Some(o) => format!(
                "{}=true",
                o.insecure
                    .as_ref()
                    .and_then(|i| i.var)
                    .unwrap_or(otlp::INSECURE)
            ),
        }
    }

    /// Where a private CA is given.
    fn ca(&self) -> String {
        match self.otlp() {
            None => format!("--ca-file (or {})", otlp::CERTIFICATE),
            Some(o) => o
                .certificate
                .as_ref()
                .and_then(|c| c.var)
                .unwrap_or(otlp::CERTIFICATE)
                .into(),
        }
    }

    fn add_credentials(&self) -> String {
        match self.otlp() {
            None => format!("add --header authorization=... (or {})", otlp::HEADERS),
            Some(o) => format!(
                "add {}=authorization=...",
                o.headers
                    .as_ref()
                    .and_then(|h| h.var)
                    .unwrap_or(otlp::HEADERS)
            ),
        }
    }

    fn smaller_requests(&self) -> String {
        match self.otlp() {
            None => "send fewer spans (--spans) or enable --compression gzip".into(),
            Some(o) => format!(
                "set {}=gzip",
                o.compression
                    .as_ref()
                    .and_then(|c| c.var)
                    .unwrap_or(otlp::COMPRESSION)
            ),
        }
    }
}

fn has(text: &str, needles: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    needles.iter().any(|n| lower.contains(n))
}

/// Explains a failed delivery (`None` when it succeeded), fingerprinting the port by `deadline`
/// when the answer alone does not say why.
pub async fn explain(
    delivery: &Delivery,
    target: &Target,
    terms: Terms<'_>,
    deadline: Deadline,
) -> Option<Cause> {
    match delivery.verdict {
        Verdict::Accepted | Verdict::Sent => None,
        Verdict::PartiallyRejected => {
            let p = delivery.answer.partial_success.as_ref()?;
            let reason = if p.error_message.is_empty() {
                "it gave no reason"
            } else {
                &p.error_message
            };
            Some(cause(
                format!(
                    "the receiver refused {} span(s): {reason}",
                    p.rejected_spans
                ),
                "check the receiver's limits and filters (its log says more)",
            ))
        }
        Verdict::Rejected => {
            if let Some(c) = self_explained(delivery, target, terms) {
                return Some(c);
            }
            let fp = fingerprint(target, deadline).await;
            Some(
                fp.as_ref()
                    .and_then(|fp| misfit(fp, target, delivery, terms))
                    .unwrap_or_else(|| rejected(delivery, target)),
            )
        }
        Verdict::Unreachable => {
            let error = delivery.error.as_deref().unwrap_or_default();
            if target.protocol.is_udp() {
                return Some(udp(error, target, terms));
            }
            if let Some(c) = untrusted(error, target, terms) {
                return Some(c);
            }
            let fp = fingerprint(target, deadline).await;
            Some(
                fp.as_ref()
                    .and_then(|fp| misfit(fp, target, delivery, terms))
                    .unwrap_or_else(|| transport_error(error, target)),
            )
        }
    }
}

/// The port's fingerprint, `None` when the URL has no host to probe.
async fn fingerprint(target: &Target, deadline: Deadline) -> Option<Fingerprint> {
    let probe_target = probe::Target::from_url(&target.url)?;
    Some(probe::fingerprint::probe(&probe_target, deadline).await)
}

/// The other OTLP transport, to suggest when this one does not fit the port.
fn other_otlp(protocol: SendProtocol, terms: Terms) -> String {
    if protocol == SendProtocol::Grpc {
        format!("{}, or port 4317", terms.protocol("http/protobuf"))
    } else {
        format!("{}, or port 4318", terms.protocol("grpc"))
    }
}

/// What the fingerprint shows that explains the failure, in doctor's sentences.
fn misfit(fp: &Fingerprint, target: &Target, delivery: &Delivery, terms: Terms) -> Option<Cause> {
    let protocol = target.protocol;
    let name = protocol.as_str();
    let usual = protocol.default_port();
    if let Some(fact) = live::unreachable(fp) {
        let fix = if fp.connected() || fp.connects.is_empty() {
            "check the host name, or use an IP address".to_owned()
        } else {
            format!(
                "start the receiver, or {} ({name} usually listens on {usual})",
                terms.point_endpoint()
            )
        };
        return Some(cause(fact, fix));
    }
    if let Some(fact) = live::tls_mismatch_fact(fp) {
        let fix = if fp.target.tls {
            let insecure = if protocol == SendProtocol::Grpc {
                format!(" (or {} when the endpoint has no scheme)", terms.insecure())
            } else {
                String::new()
            };
            format!("use http://{}{insecure}", fp.target.authority())
        } else {
            format!(
                "use https://{} (and {} if the certificate is private)",
                fp.target.authority(),
                terms.ca()
            )
        };
        return Some(cause(fact, fix));
    }
    if fp.target.tls && !fp.tls_completed() {
        let tls = fp.tls.as_ref().map(|t| t.describe()).unwrap_or_default();
        return Some(cause(
            format!(
                "the TLS handshake with {} did not complete: {tls}",
                fp.target.authority()
            ),
            "check the receiver's TLS listener; if the port is plaintext, use http://",
        ));
    }
    if let Some(fact) = live::dead(fp) {
        return Some(cause(
            fact,
            "check that this is the receiver's port and that it is not stuck; a firewall or proxy may be swallowing the request",
        ));
    }
    let wrong_protocol = if protocol == SendProtocol::Grpc {
        grpc_misfit(fp, terms)
    } else {
        http_misfit(fp, target, delivery, terms)
    };
    wrong_protocol.or_else(|| {
        live::oddity(fp).map(|odd| {
            cause(
                format!("{name} cannot work here: {odd}"),
                format!(
                    "check what listens on port {}; {name} usually listens on {usual}",
                    fp.target.port
                ),
            )
        })
    })
}

fn grpc_misfit(fp: &Fingerprint, terms: Terms) -> Option<Cause> {
    let otlp_grpc_port = format!(
        "{} (the OTLP gRPC port, usually 4317; Jaeger ≥ 1.35 and the collector take OTLP there)",
        terms.point_endpoint()
    );
    if let Some(fact) = live::jaeger_grpc(fp) {
        return Some(cause(fact, otlp_grpc_port));
    }
    if let Some(fact) = live::http1_not_grpc(fp) {
        return Some(cause(
            fact,
            format!("try {}", other_otlp(SendProtocol::Grpc, terms)),
        ));
    }
    live::grpc_without_otlp(fp).map(|fact| cause(fact, otlp_grpc_port))
}

fn http_misfit(
    fp: &Fingerprint,
    target: &Target,
    delivery: &Delivery,
    terms: Terms,
) -> Option<Cause> {
    let protocol = target.protocol;
    if let Some(fact) = live::h2_only(fp) {
        let fix = if protocol.is_otlp() {
            format!("try {}", other_otlp(protocol, terms))
        } else {
            format!(
                "try --protocol grpc to send OTLP here, or the {} port ({})",
                protocol.as_str(),
                protocol.default_port()
            )
        };
        return Some(cause(fact, fix));
    }
    let status = delivery.answer.http_status?;
    if !protocol.is_otlp() {
        return None;
    }
    let path = target.url.path();
    let (kind, fact) = live::path_answer(fp, path, status)?;
    let mut base = target.url.clone();
    base.set_path("");
    let base = base.as_str().trim_end_matches('/');
    let fix = match kind {
        PathAnswer::JaegerThrift => match terms {
            Terms::Flags => format!(
                "this is Jaeger's thrift collector: try --protocol jaeger-http, or send OTLP to port 4318 ({base} is not OTLP)"
            ),
            Terms::Settings(_) => format!(
                "this is Jaeger's thrift collector, not OTLP: send OTLP to port 4318 of the same host ({base} is not OTLP)"
            ),
        },
        PathAnswer::WrongPath => terms.use_endpoint(&format!("{base}{OTLP_PATH}")),
        PathAnswer::NotOtlp | PathAnswer::NoPost => format!(
            "check the port and path: OTLP/HTTP receivers take POST {} on port 4318",
            OTLP_PATH
        ),
        PathAnswer::NoProtobuf => format!("try {}", terms.protocol("http/json")),
    };
    Some(cause(fact, fix))
}

/// An answer that says why by itself: no fingerprint needed.
fn self_explained(delivery: &Delivery, target: &Target, terms: Terms) -> Option<Cause> {
    let a = &delivery.answer;
    if let Some(code) = a.grpc_code.as_deref() {
        let message = a.grpc_message.clone().unwrap_or_default();
        return match code {
            "Unauthenticated" | "PermissionDenied" => Some(cause(
                format!("the receiver wants credentials: {code} ({message})"),
                terms.add_credentials(),
            )),
            "ResourceExhausted" => Some(cause(
                format!("the receiver is overloaded: {code} ({message})"),
                "retry later, or check the receiver's memory limiter and queue",
            )),
            _ => None,
        };
    }
    let status = a.http_status?;
    let body = a
        .body
        .as_deref()
        .map(|b| format!(": {b}"))
        .unwrap_or_default();
    Some(match status {
        400 | 415 if target.protocol == SendProtocol::HttpJson => cause(
            format!("the receiver refused the OTLP/JSON body (HTTP {status}){body}"),
            format!(
                "try {}: not every receiver takes JSON",
                terms.protocol("http/protobuf")
            ),
        ),
        401 | 403 => cause(
            format!("the receiver wants credentials (HTTP {status}){body}"),
            terms.add_credentials(),
        ),
        413 => cause(
            format!("the request is too large for the receiver (HTTP 413){body}"),
            terms.smaller_requests(),
        ),
        429 | 503 => cause(
            format!("the receiver is overloaded (HTTP {status}){body}"),
            "retry later, or check the receiver's queue and memory limiter",
        ),
        500..=599 => cause(
            format!("the receiver failed while handling the request (HTTP {status}){body}"),
            "check the receiver's log",
        ),
        _ => return None,
    })
}

/// A refusal the fingerprint did not explain: the answer as it came.
fn rejected(delivery: &Delivery, target: &Target) -> Cause {
    let a = &delivery.answer;
    if let Some(code) = a.grpc_code.as_deref() {
        let message = a.grpc_message.clone().unwrap_or_default();
        return match code {
            "Unavailable" => cause(
                format!("the receiver is unavailable or shutting down: {code} ({message})"),
                "retry later, or check the receiver's log",
            ),
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
    let protocol = target.protocol;
    let path = target.url.path();
    let wanted = protocol.default_path();
    match status {
        404 | 405 => cause(
            format!("nothing takes spans at {path} on this port (HTTP {status}){body}"),
            if path != wanted && !wanted.is_empty() {
                format!("{} receivers take POST {wanted}", protocol.as_str())
            } else {
                format!(
                    "check the port: {} usually listens on {}",
                    protocol.as_str(),
                    protocol.default_port()
                )
            },
        ),
        _ => Cause {
            summary: format!("the receiver refused the request (HTTP {status}){body}"),
            fix: None,
        },
    }
}

/// The receiver's certificate is not trusted: the client's TLS settings, not the port.
fn untrusted(error: &str, target: &Target, terms: Terms) -> Option<Cause> {
    has(
        error,
        &["certificate", "unknownissuer", "invalid peer certificate"],
    )
    .then(|| {
        let host = target.url.host_str().unwrap_or("localhost");
        let port = target.url.port_or_known_default().unwrap_or(0);
        cause(
            format!("the TLS certificate of {host}:{port} is not trusted: {error}"),
            format!("pass the CA with {}", terms.ca()),
        )
    })
}

fn udp(error: &str, target: &Target, terms: Terms) -> Cause {
    let host = target.url.host_str().unwrap_or("localhost");
    let port = target.url.port_or_known_default().unwrap_or(0);
    if has(error, &["refused"]) {
        cause(
            format!("nothing listens on UDP {host}:{port}: the host answered \"port unreachable\""),
            format!(
                "start the Jaeger agent, or {} (default port {})",
                terms.point_endpoint(),
                target.protocol.default_port()
            ),
        )
    } else {
        Cause {
            summary: format!("the datagrams could not be sent: {error}"),
            fix: None,
        }
    }
}

/// The transport error, when the fingerprint found nothing wrong with the port.
fn transport_error(error: &str, target: &Target) -> Cause {
    if has(error, &["timed out", "deadline", "elapsed", "--timeout"]) {
        let host = target.url.host_str().unwrap_or("localhost");
        let port = target.url.port_or_known_default().unwrap_or(0);
        return cause(
            format!(
                "no answer from {host}:{port} within --timeout, though the port answers a fingerprint"
            ),
            "the receiver is slow or stuck: raise --timeout, or check its log",
        );
    }
    Cause {
        summary: format!("the send failed: {error}"),
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use url::Url;

    use super::*;
    use crate::checks::live::fake;
    use crate::send::{Answer, Delivery};

    fn target(protocol: SendProtocol, url: &str) -> Target {
        Target {
            protocol,
            url: Url::parse(url).unwrap(),
            from: "--endpoint".into(),
        }
    }

    async fn why(protocol: SendProtocol, url: String, delivery: Delivery) -> Cause {
        let deadline = Deadline::now() + Duration::from_millis(800);
        explain(&delivery, &target(protocol, &url), Terms::Flags, deadline)
            .await
            .unwrap()
    }

    fn unreachable(error: &str) -> Delivery {
        Delivery::failed(error.into(), 10)
    }

    #[tokio::test]
    async fn grpc_to_an_http1_port_is_named_in_doctors_words() {
        let addr = fake::http("400 Bad Request", "").await;
        let c = why(
            SendProtocol::Grpc,
            format!("http://{addr}"),
            unreachable("h2 protocol error"),
        )
        .await;
        assert!(c.summary.contains("answers HTTP/1.1"), "{c:?}");
        assert!(c.summary.contains("gRPC cannot work here"), "{c:?}");
        assert!(c.fix.unwrap().contains("--protocol http/protobuf"));
    }

    #[tokio::test]
    async fn http_to_an_h2_only_port_suggests_grpc() {
        let addr = fake::replying(&[0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x40, 0]).await;
        let c = why(
            SendProtocol::HttpProtobuf,
            format!("http://{addr}/v1/traces"),
            unreachable("connection closed before message completed"),
        )
        .await;
        assert!(c.summary.contains("only HTTP/2 (gRPC)"), "{c:?}");
        assert!(c.fix.unwrap().contains("--protocol grpc"));
    }

    #[tokio::test]
    async fn a_closed_port_and_a_404_path_are_named() {
        let addr = fake::closed().await;
        let c = why(
            SendProtocol::HttpProtobuf,
            format!("http://{addr}/v1/traces"),
            unreachable("connection refused"),
        )
        .await;
        assert!(c.summary.contains("Nothing listens"), "{c:?}");
        let addr = fake::http("404 Not Found", "404 page not found").await;
        let mut delivery = unreachable("");
        delivery.verdict = Verdict::Rejected;
        delivery.error = None;
        delivery.answer = Answer {
            http_status: Some(404),
            ..Answer::default()
        };
        let c = why(
            SendProtocol::HttpProtobuf,
            format!("http://{addr}/v1/traces"),
            delivery,
        )
        .await;
        assert!(
            c.summary.contains("answers 404") && c.summary.contains("no OTLP/HTTP receiver"),
            "{c:?}"
        );
    }

    #[test]
    fn a_timed_out_send_still_gets_time_to_be_explained() {
        let timeout = Duration::from_millis(500);
        let deadline = probe_deadline(timeout, timeout);
        let left = deadline.saturating_duration_since(Deadline::now());
        assert!(
            left > Duration::from_millis(400) && left <= timeout,
            "{left:?}"
        );
    }

    #[test]
    fn doctor_terms_name_the_variables_the_app_reads() {
        let ctx = crate::checks::testing::context(
            crate::settings::Sdk::Spec,
            &[(
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "http://c:4318/v1/traces",
            )],
        );
        let terms = Terms::Settings(&ctx.settings);
        assert_eq!(
            terms.point_endpoint(),
            "set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to its URL"
        );
        assert_eq!(
            other_otlp(SendProtocol::Grpc, terms),
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, or port 4317"
        );
        assert_eq!(terms.ca(), "OTEL_EXPORTER_OTLP_CERTIFICATE");
        assert_eq!(
            terms.add_credentials(),
            "add OTEL_EXPORTER_OTLP_HEADERS=authorization=..."
        );
        assert_eq!(terms.insecure(), "OTEL_EXPORTER_OTLP_INSECURE=true");
    }

    #[test]
    fn send_test_span_terms_name_its_flags() {
        assert_eq!(Terms::Flags.point_endpoint(), "point --endpoint at it");
        assert_eq!(
            other_otlp(SendProtocol::Grpc, Terms::Flags),
            "--protocol http/protobuf, or port 4317"
        );
        assert_eq!(
            Terms::Flags.ca(),
            "--ca-file (or OTEL_EXPORTER_OTLP_CERTIFICATE)"
        );
    }
}
