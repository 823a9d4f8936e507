//! Sends that got no answer: an untrusted certificate, a UDP datagram refused, or a transport
//! error the fingerprint found nothing wrong behind.

use crate::send::Target;

use super::{Cause, Terms, cause};

/// The receiver's certificate is not trusted: the client's TLS settings, not the port.
pub(super) fn untrusted(error: &str, target: &Target, terms: Terms) -> Option<Cause> {
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

pub(super) fn udp(error: &str, target: &Target, terms: Terms) -> Cause {
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
pub(super) fn transport_error(error: &str, target: &Target) -> Cause {
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

fn has(text: &str, needles: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    needles.iter().any(|n| lower.contains(n))
}
