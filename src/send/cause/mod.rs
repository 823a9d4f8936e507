//! Why a send failed, in doctor's terms: an answer that explains itself (credentials, overload,
//! a 5xx, partial success) is read as it is; anything else — no answer, a transport error, a 404,
//! an UNIMPLEMENTED — is explained by fingerprinting the port once with the probe layer
//! ([`probe::fingerprint::probe`]), in the sentences doctor's checks use (`misfit.rs`).
//! Fixes are worded in the caller's [`Terms`].

mod answer;
mod misfit;
mod no_answer;
mod terms;

use std::time::Duration;

use serde::Serialize;

use crate::probe::{self, Deadline, Fingerprint};

use super::{Delivery, Target, Verdict};

pub use terms::Terms;

use answer::{rejected, self_explained};
use misfit::misfit;
use no_answer::{transport_error, udp, untrusted};

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
    crate::probe::deadline_in(left.max(timeout.min(PROBE_FLOOR)))
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
        Verdict::Unreachable | Verdict::NoAnswer => {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use url::Url;

    use super::*;
    use crate::probe::testing;
    use crate::send::{Answer, Delivery, SendProtocol};

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
        let addr = testing::http("400 Bad Request", "").await;
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
        let addr = testing::replying(&[0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x40, 0]).await;
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
        let addr = testing::closed().await;
        let c = why(
            SendProtocol::HttpProtobuf,
            format!("http://{addr}/v1/traces"),
            unreachable("connection refused"),
        )
        .await;
        assert!(c.summary.contains("Nothing listens"), "{c:?}");
        let addr = testing::http("404 Not Found", "404 page not found").await;
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
}
