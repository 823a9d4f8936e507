//! The legacy Jaeger agent over UDP: is something there, is it a collector-only setup, and how
//! big a batch can be. (The compact/binary port match is JGR002, a settings check.)

pub mod agent_port_open;
pub mod collector_only;
pub mod udp_batch_limit;

use std::sync::Arc;

use crate::checks::{Context, live};
use crate::probe::fingerprint::Service;
use crate::probe::{Fingerprint, Target};

/// Where to look for a Jaeger collector when the agent's port is closed: every endpoint the run
/// probes (the settings' and `--endpoint` URLs), then 14268 and 14250 on the agent's host.
/// Returns every fingerprint taken and the first one that is a Jaeger collector (thrift HTTP
/// preferred: it is what a client's `JAEGER_ENDPOINT` posts to).
pub async fn find_collector(
    ctx: &Context,
    agent_host: &str,
) -> (Vec<Arc<Fingerprint>>, Option<Arc<Fingerprint>>) {
    let deadline = ctx.live.probe_deadline;
    let mut targets: Vec<Target> = live::configured(ctx)
        .into_iter()
        .map(|c| c.target)
        .collect();
    for port in [14268, 14250] {
        let t = Target::new(agent_host, port);
        if !targets.iter().any(|o| o.host == t.host && o.port == t.port) {
            targets.push(t);
        }
    }
    let probes = targets.iter().map(|t| ctx.probes.tcp(t, deadline));
    let all = futures_util::future::join_all(probes).await;
    let has = |service: Service| {
        all.iter()
            .find(|fp| fp.services().contains(&service))
            .cloned()
    };
    let found = has(Service::JaegerThriftHttp).or_else(|| has(Service::JaegerGrpc));
    (all, found)
}

/// The fix that sends to the collector `found` over HTTP, or says it only speaks gRPC.
pub fn send_to_collector(found: &Fingerprint) -> String {
    let at = found.target.authority();
    if found.services().contains(&Service::JaegerThriftHttp) {
        format!(
            "JAEGER_ENDPOINT=http://{at}/api/traces (the Jaeger collector that answers there), and unset \
             JAEGER_AGENT_HOST and JAEGER_AGENT_PORT"
        )
    } else {
        format!(
            "The collector at {at} speaks only Jaeger gRPC, which Jaeger clients do not send: enable its \
             thrift HTTP endpoint (14268) and set JAEGER_ENDPOINT=http://{}:14268/api/traces, or move the \
             app to an OpenTelemetry SDK exporting OTLP",
            found.target.host
        )
    }
}
