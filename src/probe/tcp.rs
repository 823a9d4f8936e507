//! TCP connect, split by how it failed: refused, timed out, unreachable.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;
use tokio::net::TcpStream;

use super::{Deadline, before};

/// How a connection attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result", content = "detail")]
pub enum Connect {
    /// Accepted, after this long.
    #[serde(serialize_with = "millis")]
    Open(Duration),
    /// RST: nothing listens on the port.
    Refused,
    /// The peer reset the connection while it was being set up (accepted, then RST at once).
    Reset,
    /// No answer before the deadline: packets dropped by a firewall, or the host is down.
    Timeout,
    /// The network or host is unreachable (ICMP or no route).
    Unreachable(String),
    /// Any other error, as the OS said it.
    Failed(String),
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0)
}

/// Connects to `addr`, returning the stream with a description of the attempt.
pub async fn connect(addr: SocketAddr, deadline: Deadline) -> (Connect, Option<TcpStream>) {
    let started = Deadline::now();
    match before(deadline, TcpStream::connect(addr)).await {
        None => (Connect::Timeout, None),
        Some(Ok(stream)) => {
            // Probes write small requests and wait for the answer: no Nagle delay.
            let _ = stream.set_nodelay(true);
            (Connect::Open(started.elapsed()), Some(stream))
        }
        Some(Err(e)) => (classify(&e), None),
    }
}

fn classify(e: &std::io::Error) -> Connect {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => Connect::Refused,
        ConnectionReset | ConnectionAborted => Connect::Reset,
        TimedOut => Connect::Timeout,
        HostUnreachable | NetworkUnreachable | AddrNotAvailable => {
            Connect::Unreachable(e.to_string())
        }
        _ => Connect::Failed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn open_and_refused() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let deadline = Deadline::now() + Duration::from_secs(2);
        assert!(matches!(connect(addr, deadline).await.0, Connect::Open(_)));
        drop(listener);
        assert_eq!(connect(addr, deadline).await.0, Connect::Refused);
    }
}
