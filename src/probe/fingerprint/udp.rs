//! A UDP endpoint's fingerprint (the Jaeger agent ports): what one empty datagram gives.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Serialize;

use crate::probe::Deadline;
use crate::probe::dns::{self, Resolution};
use crate::probe::udp::{self, UdpProbe};

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

/// Sends one empty datagram to the first address of `target`. Waits 250 ms for an ICMP error
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
            Some(udp::probe(a, b"", wait, deadline).await)
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
