//! OTLP over HTTP: protobuf or JSON POSTed to `/v1/traces`, the reply's `partial_success` read.

use crate::protocol::otlp;
use crate::protocol::trace::Trace;

use super::{Answer, Delivery, PartialSuccess, SendProtocol, Target, Transport, Verdict, http};

pub async fn send(trace: &Trace, target: &Target, transport: &Transport) -> Delivery {
    match http::client(transport) {
        Ok(client) => export(&client, otlp::request_from_trace(trace), target, transport).await,
        Err(e) => Delivery::failed(e, 0),
    }
}

/// One Export request over `client` (reused across requests in load mode).
pub async fn export(
    client: &reqwest::Client,
    request: otlp::ExportTraceServiceRequest,
    target: &Target,
    transport: &Transport,
) -> Delivery {
    let json = target.protocol == SendProtocol::HttpJson;
    let (content_type, body) = if json {
        match otlp::encode_json(&request) {
            Ok(b) => (otlp::JSON_CONTENT_TYPE, b),
            Err(e) => return Delivery::failed(format!("cannot encode the request: {e}"), 0),
        }
    } else {
        (otlp::PROTOBUF_CONTENT_TYPE, otlp::encode_protobuf(&request))
    };
    let sent = body.len();
    let reply = match http::post_with(client, target, transport, content_type, body).await {
        Ok(r) => r,
        Err(d) => return d,
    };
    let mut answer = Answer {
        http_status: Some(reply.status),
        content_type: reply.content_type.clone(),
        bytes_sent: sent,
        ..Answer::default()
    };
    if !(200..300).contains(&reply.status) {
        answer.body = http::excerpt(&reply.body, http::BODY_EXCERPT);
        return Delivery {
            verdict: Verdict::Rejected,
            answer,
            error: None,
        };
    }
    let reply_json = reply
        .content_type
        .as_deref()
        .map_or(json, |ct| ct.contains("json"));
    match otlp::decode_response(&reply.body, reply_json) {
        Ok(response) => {
            let partial = response
                .partial_success
                .filter(|p| p.rejected_spans != 0 || !p.error_message.is_empty());
            let verdict = match &partial {
                Some(p) if p.rejected_spans > 0 => Verdict::PartiallyRejected,
                _ => Verdict::Accepted,
            };
            answer.partial_success = partial.map(|p| PartialSuccess {
                rejected_spans: p.rejected_spans,
                error_message: p.error_message,
            });
            Delivery {
                verdict,
                answer,
                error: None,
            }
        }
        Err(e) => {
            answer.body = http::excerpt(&reply.body, http::BODY_EXCERPT);
            Delivery {
                verdict: Verdict::Accepted,
                answer,
                error: Some(format!(
                    "the receiver answered {} but its body is not an OTLP response ({e})",
                    reply.status
                )),
            }
        }
    }
}
