//! Network I/O for the live checks: DNS, TCP, UDP, TLS, HTTP/1.1, HTTP/2, gRPC, SNTP, and the
//! per-endpoint fingerprint that combines them. No verdicts here: every function reports what it
//! measured, finishes by the deadline it is given, and reads a bounded number of bytes.
//!
//! Callers outside the checks (e.g. `send-test-span` explaining why a send failed) can use
//! [`fingerprint::probe`] directly, or one probe at a time.

pub mod bytes;
mod cache;
pub mod dns;
pub mod fingerprint;
pub mod grpc;
pub mod h2;
pub mod http1;
pub mod sntp;
pub mod tcp;
#[cfg(test)]
pub mod testing;
pub mod tls;
pub mod udp;

pub use cache::{Cache, Progress, ProgressItem};
pub use fingerprint::{Fingerprint, Target, UdpFingerprint, UdpTarget};

use std::future::Future;
use std::time::Duration;

/// The instant by which a probe must have finished.
pub type Deadline = tokio::time::Instant;

/// The longest wait a deadline is computed for: every duration flag is bounded below it
/// (docs/limits.md), and the cap keeps `now + wait` from overflowing the clock.
const FARTHEST: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// `from + wait`, with `wait` capped at 30 days so that no wait can overflow the clock.
pub fn later(from: std::time::Instant, wait: Duration) -> std::time::Instant {
    from.checked_add(wait.min(FARTHEST)).unwrap_or(from)
}

/// The deadline `wait` from now (capped like [`later`]).
pub fn deadline_in(wait: Duration) -> Deadline {
    Deadline::from_std(later(std::time::Instant::now(), wait))
}

/// Runs `fut` until `deadline`; `None` when the deadline came first.
pub async fn before<T>(deadline: Deadline, fut: impl Future<Output = T>) -> Option<T> {
    tokio::time::timeout_at(deadline, fut).await.ok()
}
