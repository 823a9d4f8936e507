//! Failures whose answer says why by itself (credentials, overload, a 5xx, a JSON body refused),
//! and refusals the fingerprint did not explain, told as they came.

use crate::send::{Delivery, SendProtocol, Target};

use super::{Cause, Terms, cause};

/// An answer that says why by itself: no fingerprint needed.
pub(super) fn self_explained(delivery: &Delivery, target: &Target, terms: Terms) -> Option<Cause> {
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
pub(super) fn rejected(delivery: &Delivery, target: &Target) -> Cause {
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
