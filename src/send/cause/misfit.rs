//! What a fingerprint of the port says about a failed send: nothing listens, TLS on one side
//! only, a port that swallows requests, or another protocol than the one sent (gRPC to HTTP/1.1,
//! HTTP to an HTTP/2-only port, a path that is not OTLP), in the sentences doctor's checks use.

use crate::probe::Fingerprint;
use crate::probe::fingerprint::OTLP_PATH;
use crate::send::{Delivery, SendProtocol, Target};
use crate::symptom::{self, PathAnswer};

use super::{Cause, Terms, cause};

/// What the fingerprint shows that explains the failure, in doctor's sentences.
pub(super) fn misfit(
    fp: &Fingerprint,
    target: &Target,
    delivery: &Delivery,
    terms: Terms,
) -> Option<Cause> {
    let protocol = target.protocol;
    let name = protocol.as_str();
    let usual = protocol.default_port();
    if let Some(fact) = symptom::unreachable(fp) {
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
    if let Some(fact) = symptom::tls_mismatch_fact(fp) {
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
    if let Some(fact) = symptom::dead(fp) {
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
        symptom::oddity(fp).map(|odd| {
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
    if let Some(fact) = symptom::jaeger_grpc(fp) {
        return Some(cause(fact, otlp_grpc_port));
    }
    if let Some(fact) = symptom::http1_not_grpc(fp) {
        return Some(cause(
            fact,
            format!("try {}", terms.other_otlp(SendProtocol::Grpc)),
        ));
    }
    symptom::grpc_without_otlp(fp).map(|fact| cause(fact, otlp_grpc_port))
}

fn http_misfit(
    fp: &Fingerprint,
    target: &Target,
    delivery: &Delivery,
    terms: Terms,
) -> Option<Cause> {
    let protocol = target.protocol;
    if let Some(fact) = symptom::h2_only(fp) {
        let fix = if protocol.is_otlp() {
            format!("try {}", terms.other_otlp(protocol))
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
    let (kind, fact) = symptom::path_answer(fp, path, status)?;
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
