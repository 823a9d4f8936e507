//! The receipt of one send: one model, rendered for people or as JSON by [`super::output`]
//! (docs/send-test-span.md).

use std::time::Duration;

use serde::Serialize;

use crate::protocol::trace::{Trace, traceparent};
use crate::settings::secret::redact;

use super::cause::Cause;
use super::verify::Verification;
use super::{Answer, Target, Verdict};

#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub verdict: Verdict,
    pub protocol: &'static str,
    pub url: String,
    /// Where the URL came from.
    pub url_from: String,
    pub service: String,
    pub trace_id: String,
    /// Root first.
    pub span_ids: Vec<String>,
    /// The root span's context, to continue the trace (`--parent`).
    pub traceparent: String,
    pub latency_ms: f64,
    pub answer: Answer,
    /// Header names with redacted values.
    pub headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// `--verify`: what the query service stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

impl Receipt {
    pub fn new(
        trace: &Trace,
        target: &Target,
        headers: &[(String, String)],
        delivery: super::Delivery,
        latency: Duration,
        cause: Option<Cause>,
    ) -> Receipt {
        let root = trace.spans.first();
        Receipt {
            verdict: delivery.verdict,
            protocol: target.protocol.as_str(),
            url: target.url.to_string(),
            url_from: target.from.clone(),
            service: trace.service.clone(),
            trace_id: root.map(|s| hex::encode(s.trace_id)).unwrap_or_default(),
            span_ids: trace.spans.iter().map(|s| hex::encode(s.span_id)).collect(),
            traceparent: root
                .map(|s| traceparent(&s.trace_id, &s.span_id))
                .unwrap_or_default(),
            latency_ms: (latency.as_secs_f64() * 1e6).round() / 1e3,
            answer: delivery.answer,
            headers: headers
                .iter()
                .map(|(k, v)| (k.clone(), redact(v)))
                .collect(),
            error: delivery.error,
            cause,
            verification: None,
        }
    }

    /// Accepted (or sent) and, with `--verify`, every span read back.
    pub fn is_success(&self) -> bool {
        self.verdict.is_success()
            && self
                .verification
                .as_ref()
                .is_none_or(Verification::is_complete)
    }
}
