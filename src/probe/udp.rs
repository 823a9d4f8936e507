//! UDP through a connected socket: an ICMP port-unreachable comes back as a refused `recv`, so a
//! closed port is visible; silence means open or filtered, and the probe says no more than that.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;
use tokio::net::UdpSocket;

use super::{Deadline, before};

/// What sending one datagram gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result", content = "detail")]
pub enum UdpProbe {
    /// ICMP port unreachable: nothing listens.
    Closed,
    /// No reply and no ICMP error within the wait: open, or filtered by a firewall.
    Silent,
    /// A reply of this many bytes.
    Answered(usize),
    /// The socket could not be used, as the OS said it.
    Failed(String),
}

/// Sends `payload` to `addr` and waits up to `wait` (and at most until `deadline`) for a reply or
/// an ICMP error. Replies are read into a 2 KiB buffer.
pub async fn probe(
    addr: SocketAddr,
    payload: &[u8],
    wait: Duration,
    deadline: Deadline,
) -> UdpProbe {
    let local: SocketAddr = if addr.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = match UdpSocket::bind(local).await {
        Ok(s) => s,
        Err(e) => return UdpProbe::Failed(format!("cannot open a UDP socket: {e}")),
    };
    if let Err(e) = socket.connect(addr).await {
        return UdpProbe::Failed(e.to_string());
    }
    if let Err(e) = socket.send(payload).await {
        return refused_or(e);
    }
    let until = deadline.min(Deadline::now() + wait);
    let mut buf = [0u8; 2048];
    match before(until, socket.recv(&mut buf)).await {
        None => UdpProbe::Silent,
        Some(Ok(n)) => UdpProbe::Answered(n),
        Some(Err(e)) => refused_or(e),
    }
}

fn refused_or(e: std::io::Error) -> UdpProbe {
    if e.kind() == std::io::ErrorKind::ConnectionRefused {
        UdpProbe::Closed
    } else {
        UdpProbe::Failed(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn closed_silent_and_answered() {
        let deadline = Deadline::now() + Duration::from_secs(2);
        let wait = Duration::from_millis(200);
        let gone = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let closed = gone.local_addr().unwrap();
        drop(gone);
        assert_eq!(probe(closed, b"", wait, deadline).await, UdpProbe::Closed);

        let quiet = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = quiet.local_addr().unwrap();
        assert_eq!(probe(addr, b"x", wait, deadline).await, UdpProbe::Silent);

        let echo = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = echo.local_addr().unwrap();
        tokio::spawn(async move {
            let mut b = [0u8; 16];
            if let Ok((n, from)) = echo.recv_from(&mut b).await {
                let _ = echo.send_to(&b[..n], from).await;
            }
        });
        assert_eq!(
            probe(addr, b"ping", wait, deadline).await,
            UdpProbe::Answered(4)
        );
    }
}
