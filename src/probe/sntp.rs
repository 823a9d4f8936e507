//! Local clock offset against an SNTP server (RFC 4330) through rsntp, to an explicit address
//! (any port) so that tests can run a fake server on loopback.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

use super::{Deadline, before};

/// What one SNTP exchange measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum SntpProbe {
    /// Offset of the server's clock from ours (positive: the local clock is behind) and the
    /// round trip, both in milliseconds; the server's stratum.
    Offset {
        offset_ms: f64,
        round_trip_ms: f64,
        stratum: u8,
    },
    /// The server answered with something rsntp rejected (Kiss-o'-Death, bad mode, bad origin…).
    Rejected { error: String },
    /// No answer before the deadline.
    Timeout,
    /// The request could not be sent or the port is closed, as the OS said it.
    Failed { error: String },
}

/// Asks `server` for the time.
pub async fn query(server: SocketAddr, deadline: Deadline) -> SntpProbe {
    let remaining = deadline.saturating_duration_since(Deadline::now());
    if remaining.is_zero() {
        return SntpProbe::Timeout;
    }
    let bind: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let config = rsntp::Config::default()
        .bind_address(bind)
        .timeout(remaining);
    let client = rsntp::AsyncSntpClient::with_config(config);
    match before(
        deadline + Duration::from_millis(5),
        client.synchronize(server),
    )
    .await
    {
        None => SntpProbe::Timeout,
        Some(Ok(result)) => SntpProbe::Offset {
            offset_ms: result.clock_offset().as_secs_f64() * 1000.0,
            round_trip_ms: result.round_trip_delay().as_secs_f64() * 1000.0,
            stratum: result.stratum(),
        },
        Some(Err(rsntp::SynchronizationError::IOError(e)))
            if e.kind() == std::io::ErrorKind::TimedOut =>
        {
            SntpProbe::Timeout
        }
        Some(Err(rsntp::SynchronizationError::IOError(e))) => SntpProbe::Failed {
            error: e.to_string(),
        },
        Some(Err(e)) => SntpProbe::Rejected {
            error: e.to_string(),
        },
    }
}
