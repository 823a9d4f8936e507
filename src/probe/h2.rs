//! HTTP/2 with prior knowledge (h2c): send the client connection preface and an empty SETTINGS
//! frame, and look at the first frame the server sends back.

use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::bytes::{Shape, shape};
use super::{Deadline, before};

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const EMPTY_SETTINGS: [u8; 9] = [0, 0, 0, 4, 0, 0, 0, 0, 0];

/// How the server answered the HTTP/2 preface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum H2Probe {
    /// It sent a SETTINGS frame: it speaks HTTP/2.
    ServerPreface,
    /// It sent something else (at most 64 bytes kept).
    Other { first_bytes: Vec<u8> },
    /// It closed the connection without a byte.
    Closed,
    /// Nothing before the deadline.
    Silent,
    /// An I/O error, as the OS said it.
    Failed { error: String },
}

/// Sends the preface on `stream` and classifies the first bytes back.
pub async fn preface<S>(mut stream: S, deadline: Deadline) -> H2Probe
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut hello = PREFACE.to_vec();
    hello.extend_from_slice(&EMPTY_SETTINGS);
    match before(deadline, stream.write_all(&hello)).await {
        None => return H2Probe::Silent,
        Some(Err(e)) => {
            return H2Probe::Failed {
                error: e.to_string(),
            };
        }
        Some(Ok(())) => {}
    }
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64];
    while buf.len() < 9 {
        match before(deadline, stream.read(&mut chunk)).await {
            None | Some(Ok(0)) => break,
            Some(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
            Some(Err(e)) if buf.is_empty() => {
                return H2Probe::Failed {
                    error: e.to_string(),
                };
            }
            Some(Err(_)) => break,
        }
    }
    buf.truncate(64);
    if buf.is_empty() {
        return if Deadline::now() >= deadline {
            H2Probe::Silent
        } else {
            H2Probe::Closed
        };
    }
    if buf.len() >= 9 && shape(&buf) == (Shape::H2Frame { frame_type: 4 }) {
        H2Probe::ServerPreface
    } else {
        H2Probe::Other { first_bytes: buf }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn http1_server_is_not_h2() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        });
        let s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let deadline = Deadline::now() + Duration::from_secs(2);
        assert!(matches!(preface(s, deadline).await, H2Probe::Other { .. }));
    }
}
