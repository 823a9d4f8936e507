//! Does the endpoint speak what the exporter sends: gRPC vs HTTP/1.1, OTLP vs Jaeger, TLS vs plaintext.

pub mod grpc_endpoint;
pub mod http_endpoint;
pub mod tls_match;

use crate::checks::Context;
use crate::checks::live::{self, Configured};
use crate::probe::Fingerprint;
use crate::report::Outcome;
use crate::symptom;

/// The OTLP endpoint's fingerprint when it uses `want` (gRPC or HTTP), or why the check skips.
async fn otlp_fingerprint(
    ctx: &Context,
    grpc: bool,
) -> Result<(Configured, std::sync::Arc<Fingerprint>), Outcome> {
    let Some(c) = live::otlp(ctx) else {
        return Err(Outcome::skip(
            "the OTLP exporter is not in use or its endpoint is not a valid URL",
        ));
    };
    if c.otlp.is_some_and(|p| p.is_http()) == grpc {
        return Err(Outcome::skip(if grpc {
            "the exporter uses OTLP/HTTP"
        } else {
            "the exporter uses OTLP/gRPC"
        }));
    }
    let fp = ctx.probes.tcp(&c.target, ctx.live.probe_deadline).await;
    if !fp.connected() {
        return Err(Outcome::skip(format!(
            "{} is not reachable (see NET001)",
            c.target.authority()
        )));
    }
    if symptom::tls_mismatch(&fp) {
        return Err(Outcome::skip(
            "TLS use does not match the endpoint (see PRO003)",
        ));
    }
    Ok((c, fp))
}

/// The variable that sets the protocol, for fixes.
fn protocol_var(ctx: &Context) -> &'static str {
    ctx.settings
        .otlp
        .protocol
        .var
        .unwrap_or("OTEL_EXPORTER_OTLP_PROTOCOL")
}
