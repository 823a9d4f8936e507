//! Around the gRPC receiver: every request body's bytes are metered against the memory budget
//! and its connection's share ([`MAX_CONNECTION_BYTES`]) while tonic gathers a message, and the
//! refusals tonic answers itself (a message that does not decode, one over the size limit, a
//! decompression bomb) are reported and counted as their OTLP/HTTP equivalents are.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Bytes;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use http_body::{Body as HttpBody, Frame, SizeHint};
use tonic::Status;
use tonic::body::Body;
use tonic::codegen::{Service, http};
use tonic::server::NamedService;

use super::budget::Reservation;
use super::conn::{MAX_CONNECTION_BYTES, Share};
use super::limit::Peer;
use super::sink::Sink;
use super::{Listener, MAX_BODY, Observation, Origin, Seen};

/// A request body whose bytes are held against the budget until tonic is done with it.
struct Metered {
    inner: Body,
    held: Reservation,
    conn: Option<Share>,
    sink: Sink,
}

impl Metered {
    fn take(&mut self, n: usize) -> Result<(), Status> {
        if let Some(conn) = &mut self.conn
            && !conn.hold(n)
        {
            self.sink.refuse_memory();
            return Err(Status::resource_exhausted(format!(
                "tracectl listen: this connection holds {MAX_CONNECTION_BYTES} bytes of messages not yet decoded, the most it may"
            )));
        }
        if !self.held.grow(n) {
            self.sink.refuse_memory();
            return Err(Status::unavailable(
                "tracectl listen: its memory budget (--max-memory) is full; retry later",
            ));
        }
        Ok(())
    }
}

impl HttpBody for Metered {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let frame = match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => frame,
            other => return other,
        };
        let n = frame.data_ref().map_or(0, Bytes::len);
        Poll::Ready(Some(self.take(n).map(|()| frame)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A gRPC service behind the guard.
#[derive(Debug, Clone)]
pub struct Guarded<S> {
    pub inner: S,
    pub sink: Sink,
    pub listener: Listener,
    pub port: u16,
}

impl<S: NamedService> NamedService for Guarded<S> {
    const NAME: &'static str = S::NAME;
}

impl<S> Service<http::Request<Body>> for Guarded<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<http::Response<Body>, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        let peer = req.extensions().get::<Peer>().cloned();
        if let Some(p) = &peer {
            p.conn.request();
        }
        let (parts, body) = req.into_parts();
        let body = Metered {
            inner: body,
            held: self.sink.budget().empty(),
            conn: peer.as_ref().map(|p| Share::new(p.conn.clone())),
            sink: self.sink.clone(),
        };
        let call = self
            .inner
            .call(http::Request::from_parts(parts, Body::new(body)));
        let sink = self.sink.clone();
        let (listener, port) = (self.listener, self.port);
        async move {
            let response = call.await?;
            if let (Some(seen), Some(peer)) = (refusal(response.headers()), peer) {
                let origin = Origin {
                    listener,
                    port,
                    peer: peer.addr,
                };
                sink.observe(Observation { origin, seen });
            }
            Ok(response)
        }
        .boxed()
    }
}

/// What a trailers-only answer from tonic refused, as the HTTP listeners would report it.
fn refusal(headers: &http::HeaderMap) -> Option<Seen> {
    let code = headers.get("grpc-status")?.to_str().ok()?;
    let message = percent_decode(
        headers
            .get("grpc-message")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let too_large = || Seen::Oversize {
        size: message
            .split("found ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(MAX_BODY + 1),
        limit: MAX_BODY,
    };
    match code {
        // OUT_OF_RANGE: the message is over the size limit.
        "11" => Some(too_large()),
        // RESOURCE_EXHAUSTED from tonic: it decompressed past the limit.
        "8" if message.starts_with("Error decompressing") => Some(too_large()),
        // INTERNAL: the message, its framing or its compression did not decode.
        "13" => Some(Seen::Malformed {
            what: "an OTLP gRPC message".into(),
            error: message.chars().take(300).collect(),
        }),
        _ => None,
    }
}

/// `grpc-message` is percent-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen::budget::Budget;
    use crate::listen::conn::ConnState;
    use crate::listen::output::Renderer;

    fn metered(sink: &Sink, bytes: usize, conn: Option<Share>) -> Metered {
        Metered {
            inner: Body::new(axum::body::Body::from(vec![0u8; bytes])),
            held: sink.budget().empty(),
            conn,
            sink: sink.clone(),
        }
    }

    fn first_frame(m: &mut Metered) -> Result<usize, tonic::Code> {
        let frame = futures_util::future::poll_fn(|cx| Pin::new(&mut *m).poll_frame(cx))
            .now_or_never()
            .flatten()
            .expect("a frame");
        frame
            .map(|f| f.data_ref().map_or(0, Bytes::len))
            .map_err(|s| s.code())
    }

    #[test]
    fn partial_messages_are_held_against_the_budget_and_the_connection_share() {
        let (sink, _rx) = Sink::channel(8, Renderer::Json, Budget::new(MAX_CONNECTION_BYTES * 4));
        let mut fits = metered(&sink, 1000, None);
        assert_eq!(first_frame(&mut fits), Ok(1000));
        let conn = ConnState::new();
        let mut first = metered(
            &sink,
            MAX_CONNECTION_BYTES - 10,
            Some(Share::new(conn.clone())),
        );
        assert_eq!(first_frame(&mut first), Ok(MAX_CONNECTION_BYTES - 10));
        // A second stream on the same connection: over the connection's share.
        let mut second = metered(&sink, 100, Some(Share::new(conn.clone())));
        assert_eq!(
            first_frame(&mut second),
            Err(tonic::Code::ResourceExhausted)
        );
        drop(first);
        let mut third = metered(&sink, 100, Some(Share::new(conn)));
        assert_eq!(first_frame(&mut third), Ok(100), "the share is given back");
        // Over the whole budget: UNAVAILABLE, retried by exporters.
        let mut huge = metered(&sink, MAX_CONNECTION_BYTES * 4, None);
        assert_eq!(first_frame(&mut huge), Err(tonic::Code::Unavailable));
        assert_eq!(sink.counts().refused_memory, 2);
    }

    fn headers(status: &str, message: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert("grpc-status", status.parse().unwrap());
        h.insert("grpc-message", message.parse().unwrap());
        h
    }

    #[test]
    fn tonic_refusals_read_as_oversize_or_malformed() {
        let big = headers(
            "11",
            "Error,%20decoded%20message%20length%20too%20large:%20found%209000000%20bytes",
        );
        assert_eq!(
            refusal(&big),
            Some(Seen::Oversize {
                size: 9_000_000,
                limit: MAX_BODY
            })
        );
        let bomb = headers("8", "Error%20decompressing:%20size%20limit");
        assert!(matches!(refusal(&bomb), Some(Seen::Oversize { .. })));
        let bad = headers("13", "failed%20to%20decode%20Protobuf%20message");
        assert_eq!(
            refusal(&bad),
            Some(Seen::Malformed {
                what: "an OTLP gRPC message".into(),
                error: "failed to decode Protobuf message".into()
            })
        );
        assert_eq!(refusal(&headers("0", "")), None);
        assert_eq!(refusal(&headers("14", "busy")), None);
    }
}
