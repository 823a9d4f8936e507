//! A UDP endpoint's fingerprint (the Jaeger agent ports): what one datagram gives. The datagram
//! is a valid `Agent.emitBatch` with no span (service `tracectl-probe`), so an agent, a collector's
//! jaeger receiver or `tracectl listen` decodes it instead of logging a malformed payload.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Serialize;

use crate::probe::Deadline;
use crate::probe::dns::{self, Resolution};
use crate::probe::udp::{self, UdpProbe};
use crate::protocol::jaeger::{self, Batch, Encoding, Process};

/// A UDP endpoint (Jaeger agent ports).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct UdpTarget {
    pub host: String,
    pub port: u16,
}

/// What one datagram to a UDP endpoint gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UdpFingerprint {
    pub target: UdpTarget,
    pub dns: Resolution,
    pub addr: Option<SocketAddr>,
    pub result: Option<UdpProbe>,
}

impl UdpFingerprint {
    pub fn summary(&self) -> String {
        match &self.result {
            Some(UdpProbe::Closed) => "closed (ICMP port unreachable)".into(),
            Some(UdpProbe::Silent) => "no ICMP error: open, or filtered".into(),
            Some(UdpProbe::Answered(n)) => format!("answered ({n} bytes)"),
            Some(UdpProbe::Failed(e)) => format!("probe failed: {e}"),
            None => "does not resolve".into(),
        }
    }
}

/// The probe datagram for an agent port: an emitBatch with no span, in binary thrift for 6832
/// (the binary agent port), compact for any other port.
pub fn probe_datagram(port: u16) -> Vec<u8> {
    let encoding = if port == Encoding::Binary.agent_port() {
        Encoding::Binary
    } else {
        Encoding::Compact
    };
    let batch = Batch {
        process: Process {
            service_name: "tracectl-probe".into(),
            tags: None,
        },
        spans: Vec::new(),
        seq_no: None,
        stats: None,
    };
    jaeger::encode_emit_batch(&batch, encoding, 0).unwrap_or_default()
}

/// Sends one probe datagram ([`probe_datagram`]) to the first address of `target`. Waits 250 ms for an ICMP error
/// on loopback, 1 s elsewhere (never past `deadline`).
pub async fn probe_udp(target: &UdpTarget, deadline: Deadline) -> UdpFingerprint {
    let dns = dns::resolve(&target.host, deadline).await;
    let addr = dns
        .addrs()
        .first()
        .map(|ip: &IpAddr| SocketAddr::new(*ip, target.port));
    let result = match addr {
        Some(a) => {
            let wait = if a.ip().is_loopback() {
                Duration::from_millis(250)
            } else {
                Duration::from_secs(1)
            };
            Some(udp::probe(a, &probe_datagram(target.port), wait, deadline).await)
        }
        None => None,
    };
    UdpFingerprint {
        target: target.clone(),
        dns,
        addr,
        result,
    }
}
