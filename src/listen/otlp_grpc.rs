//! OTLP/gRPC: a tonic `TraceService`, behind an accept loop that looks at each connection's
//! first bytes. HTTP/2 goes to tonic; an HTTP/1.x request (OTLP/HTTP sent to the gRPC port) or a
//! TLS handshake is answered as a plaintext gRPC server answers it, and reported.

use std::time::Duration;

use axum::extract::Request;
use axum::response::Response;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, timeout_at};
use tonic::codegen::{Service, http};

pub use super::grpc_export::EXPORT_PATH;
use super::grpc_export::Receiver;
use super::grpc_guard::Guarded;
use super::http::Ctx;
use super::limit::{Limited, LimitedListener, Peer};
use super::sink::Sink;
use super::{Listener, Observation, Origin, Seen};

/// The HTTP/2 connection preface every gRPC client sends first.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// How long a new connection may take to send its first bytes.
const SNIFF_TIMEOUT: Duration = Duration::from_secs(3);
/// How often a connection being sniffed looks whether it was closed to make room.
const SNIFF_SLICE: Duration = Duration::from_millis(100);
/// The most of an HTTP/1.x request head read to describe it.
const MAX_HEAD: usize = 8 * 1024;

/// What a connection's first bytes say it speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Greeting {
    Http2,
    /// Nothing (or not enough to tell) before the sniff timeout, or closed.
    Silent,
    Http1,
    Tls,
    Other,
}

/// Classifies the first bytes, or `None` while they could still be more than one thing.
pub fn greeting(bytes: &[u8]) -> Option<Greeting> {
    if bytes.starts_with(PREFACE) {
        return Some(Greeting::Http2);
    }
    if PREFACE.starts_with(bytes) && !bytes.is_empty() {
        return (bytes.len() >= 4 && bytes.get(3) != Some(&b' ')).then_some(Greeting::Other);
    }
    match bytes {
        [] => None,
        [0x16, ..] => Some(Greeting::Tls),
        _ => {
            let method = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
            match bytes.get(method) {
                Some(b' ') if method > 0 => Some(Greeting::Http1),
                None if method < 8 => None,
                _ => Some(Greeting::Other),
            }
        }
    }
}

/// Waits for enough bytes to classify the connection, without consuming them.
async fn sniff(limited: &Limited) -> Greeting {
    let stream = limited.stream();
    let deadline = Instant::now() + SNIFF_TIMEOUT;
    let mut buf = [0u8; 24];
    let mut last = usize::MAX;
    loop {
        if limited.state().closing() || Instant::now() >= deadline {
            // Closed to make room, or silent: tonic deals with it as any gRPC server would.
            return Greeting::Silent;
        }
        // In slices, so a connection closed to make room frees its slot at once.
        let slice = deadline.min(Instant::now() + SNIFF_SLICE);
        let n = match timeout_at(slice, stream.peek(&mut buf)).await {
            Ok(Ok(n)) => n,
            Ok(Err(_)) => return Greeting::Silent,
            Err(_) => continue,
        };
        let seen = buf.get(..n).unwrap_or_default();
        if let Some(g) = greeting(seen) {
            return g;
        }
        if n == 0 {
            return Greeting::Silent;
        }
        if n == last {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        last = n;
    }
}

/// The request line with every query value replaced by `<redacted>`: query strings carry keys
/// (`?api_key=…`).
fn redact_query(line: &str) -> String {
    let Some((before, query)) = line.split_once('?') else {
        return line.to_owned();
    };
    let (query, after) = query.split_once(' ').unwrap_or((query, ""));
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) => format!("{key}=<redacted>"),
            None => pair.to_owned(),
        })
        .collect();
    let space = if after.is_empty() { "" } else { " " };
    format!("{before}?{}{space}{after}", pairs.join("&"))
}

/// The first line (query values redacted) and Content-Type of an HTTP/1.x request head.
fn describe_head(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let request_line: String = lines.next().unwrap_or_default().chars().take(200).collect();
    let request_line = redact_query(&request_line);
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().chars().take(100).collect::<String>());
    match content_type {
        Some(ct) => format!("{request_line} (Content-Type: {ct})"),
        None => request_line,
    }
}

/// A plaintext gRPC server's answer to a client that does not speak HTTP/2: its own (empty)
/// SETTINGS frame, then GOAWAY with PROTOCOL_ERROR and a reason, then it closes.
fn goaway(reason: &str) -> Vec<u8> {
    let mut out = vec![0, 0, 0, 4, 0, 0, 0, 0, 0];
    let len = 8 + reason.len();
    out.extend_from_slice(&[
        (len >> 16) as u8,
        (len >> 8) as u8,
        len as u8,
        7,
        0,
        0,
        0,
        0,
        0,
    ]);
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
    out.extend_from_slice(reason.as_bytes());
    out
}

async fn refuse(mut stream: Limited, greeting: Greeting, origin: Origin, sink: &Sink) {
    let deadline = Instant::now() + SNIFF_TIMEOUT;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while head.len() < MAX_HEAD && !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match timeout_at(deadline, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
            _ => break,
        }
        if greeting != Greeting::Http1 {
            break;
        }
    }
    let seen = match greeting {
        Greeting::Http1 => Seen::Http1OnGrpc {
            request_line: describe_head(&head),
        },
        Greeting::Tls => Seen::Tls,
        _ => Seen::Malformed {
            what: "a connection that is neither HTTP/2 nor HTTP/1.x".into(),
            error: format!(
                "it starts with {}",
                hex::encode(head.get(..16).unwrap_or(&head))
            ),
        },
    };
    sink.observe(Observation { origin, seen });
    let _ = timeout_at(
        deadline,
        stream.write_all(&goaway("this port speaks gRPC (HTTP/2) only")),
    )
    .await;
    let _ = timeout_at(deadline, stream.shutdown()).await;
}

/// The most HTTP/2 streams (calls) one connection may have open at once.
pub const MAX_STREAMS: u32 = 100;

fn service(sink: &Sink, listener: Listener, port: u16) -> Guarded<Receiver> {
    Guarded {
        inner: Receiver {
            sink: sink.clone(),
            listener,
            port,
        },
        sink: sink.clone(),
        listener,
        port,
    }
}

/// Serves an OTLP gRPC export that arrived on an HTTP port, as the gRPC port would.
pub async fn export_on_http(ctx: &Ctx, peer: Peer, req: Request) -> Response {
    let mut grpc = service(&ctx.sink, ctx.listener, ctx.port);
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(peer);
    let req = http::Request::from_parts(parts, tonic::body::Body::new(body));
    match grpc.call(req).await {
        Ok(response) => response.map(axum::body::Body::new),
        Err(never) => match never {},
    }
}

/// Accepts until `stop` changes, then lets the requests in flight finish.
pub async fn serve(listener: LimitedListener, sink: Sink, mut stop: watch::Receiver<bool>) {
    let port = axum::serve::Listener::local_addr(&listener).map_or(0, |a| a.port());
    let (tx, rx) = mpsc::channel::<Limited>(256);
    let service = service(&sink, Listener::OtlpGrpc, port);
    let incoming = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|s| (Ok::<_, std::io::Error>(s), rx))
    });
    let server = tonic::transport::Server::builder()
        .max_concurrent_streams(MAX_STREAMS)
        .add_service(service)
        .serve_with_incoming_shutdown(incoming, async move {
            let _ = stop.changed().await;
        });
    let accept = async move {
        loop {
            let (stream, peer) = listener.next().await;
            let tx = tx.clone();
            let sink = sink.clone();
            tokio::spawn(async move {
                let origin = Origin {
                    listener: Listener::OtlpGrpc,
                    port,
                    peer,
                };
                match sniff(&stream).await {
                    Greeting::Http2 => {
                        // The preface counts as a request head: gRPC clients may connect
                        // seconds before their first call. The idle timeout applies from here.
                        stream.state().request();
                        let _ = tx.send(stream).await;
                    }
                    Greeting::Silent => {
                        let _ = tx.send(stream).await;
                    }
                    other => refuse(stream, other, origin, &sink).await,
                }
            });
        }
    };
    tokio::select! {
        _ = server => {}
        () = accept => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bytes_tell_http2_from_http1_and_tls() {
        assert_eq!(greeting(PREFACE), Some(Greeting::Http2));
        assert_eq!(greeting(b"PRI * HT"), None);
        assert_eq!(
            greeting(b"POST /v1/traces HTTP/1.1\r\n"),
            Some(Greeting::Http1)
        );
        assert_eq!(greeting(b"GET / HTTP/1.0"), Some(Greeting::Http1));
        assert_eq!(greeting(b"PRI /x HTTP/1.1"), Some(Greeting::Http1));
        assert_eq!(greeting(b"POS"), None);
        assert_eq!(greeting(&[0x16, 3, 1]), Some(Greeting::Tls));
        assert_eq!(greeting(&[0, 0, 0, 4]), Some(Greeting::Other));
        assert_eq!(greeting(b"ABCDEFGHIJ"), Some(Greeting::Other));
        assert_eq!(greeting(b""), None);
    }

    #[test]
    fn the_answer_to_http1_is_settings_then_goaway() {
        let bytes = goaway("why");
        assert_eq!(&bytes[..9], &[0, 0, 0, 4, 0, 0, 0, 0, 0]);
        assert_eq!(&bytes[9..13], &[0, 0, 11, 7]);
        assert_eq!(&bytes[bytes.len() - 3..], b"why");
        assert_eq!(
            describe_head(b"POST /v1/traces HTTP/1.1\r\nHost: x\r\ncontent-type: application/x-protobuf\r\n\r\n"),
            "POST /v1/traces HTTP/1.1 (Content-Type: application/x-protobuf)"
        );
        assert_eq!(
            describe_head(b"POST /v1/traces?api_key=s3cr3t&x&b=2 HTTP/1.1\r\n\r\n"),
            "POST /v1/traces?api_key=<redacted>&x&b=<redacted> HTTP/1.1"
        );
    }
}
