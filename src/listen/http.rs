//! What the HTTP listeners share: reading a bounded (and maybe gzipped) body, and answering
//! requests they do not take the way a real receiver would, while reporting what was seen.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::watch;

use super::budget::Reservation;
use super::conn::Share;
use super::limit::{LimitedListener, Peer};
use super::sink::{Refused, Sink};
use super::{Listener, MAX_BODY, Observation, Origin, Received, Seen};

/// A listener's identity and where it reports.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub listener: Listener,
    pub port: u16,
    pub sink: Sink,
    /// Answer traffic for another protocol as a real receiver would (--strict).
    pub strict: bool,
}

impl Ctx {
    pub fn origin(&self, peer: SocketAddr) -> Origin {
        Origin {
            listener: self.listener,
            port: self.port,
            peer,
        }
    }

    pub fn observe(&self, peer: SocketAddr, seen: Seen) {
        self.sink.observe(Observation {
            origin: self.origin(peer),
            seen,
        });
    }

    /// Reserves the decoded size of a body about to be decoded.
    pub async fn admit(&self, bytes: usize) -> Result<Reservation, Refusal> {
        self.sink.admit_waiting(bytes).await.map_err(refused)
    }

    /// Resizes `held` to what the request takes now that it is decoded.
    pub fn fit(&self, held: &mut Reservation, bytes: usize) -> Result<(), Refusal> {
        if held.resize(bytes) {
            return Ok(());
        }
        self.sink.refuse_memory();
        Err(refused(Refused::Busy))
    }

    /// Queues the spans holding `held`; the answer when they were not taken.
    pub async fn spans(&self, received: Received, held: Reservation) -> Result<(), Refusal> {
        self.sink
            .spans_waiting(received, held)
            .await
            .map_err(refused)
    }
}

/// The answer when listen's memory budget or queue could not take a request: 503 with
/// Retry-After (OTLP exporters retry it) when full now, 413 when it can never fit.
pub fn refused(why: Refused) -> Refusal {
    Box::new(match why {
        Refused::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "tracectl listen: its memory budget (--max-memory) or queue is full; retry later\n",
        )
            .into_response(),
        Refused::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "tracectl listen: this body decodes to more than the whole memory budget (--max-memory)\n",
        )
            .into_response(),
    })
}

/// The request's media type, lower-case, without parameters (`; charset=…`).
pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// A request refused, with the answer a real receiver would give.
pub type Refusal = Box<Response>;

/// The handler every HTTP listener runs for every request.
pub type Handler =
    fn(Arc<Ctx>, Peer, Request) -> futures_util::future::BoxFuture<'static, Response>;

/// Serves `handler` for every method and path until the task is dropped.
pub async fn serve(
    listener: LimitedListener,
    ctx: Ctx,
    handler: Handler,
    mut stop: watch::Receiver<bool>,
) {
    let app = Router::new()
        .fallback(
            move |State(ctx): State<Arc<Ctx>>,
                  ConnectInfo(peer): ConnectInfo<Peer>,
                  req: Request| {
                peer.conn.request();
                handler(ctx, peer, req)
            },
        )
        .with_state(Arc::new(ctx));
    let _ = axum::serve(listener, app.into_make_service_with_connect_info::<Peer>())
        .with_graceful_shutdown(async move {
            let _ = stop.changed().await;
        })
        .await;
}

/// Whether the request is a gRPC call.
pub fn is_grpc(req: &Request) -> bool {
    content_type(req.headers()).starts_with("application/grpc")
}

/// Answers a request that is not for this port or path, after checking for gRPC. `Ok` when the
/// request is a POST to `path` and should be handled.
pub fn route(ctx: &Ctx, peer: SocketAddr, req: &Request, path: &str) -> Result<(), Refusal> {
    let content_type = content_type(req.headers());
    if is_grpc(req) {
        ctx.observe(
            peer,
            Seen::GrpcOnHttp {
                path: super::clip(req.uri().path()),
                served: false,
            },
        );
        // An HTTP receiver has no gRPC route: the client sees UNIMPLEMENTED (HTTP 404).
        return Err(Box::new(StatusCode::NOT_FOUND.into_response()));
    }
    if req.uri().path() != path {
        ctx.observe(
            peer,
            Seen::WrongPath {
                method: super::clip(req.method().as_str()),
                path: super::clip(req.uri().path()),
                content_type: super::clip(&content_type),
            },
        );
        return Err(Box::new(
            (StatusCode::NOT_FOUND, "404 page not found\n").into_response(),
        ));
    }
    if req.method() != axum::http::Method::POST {
        return Err(Box::new(
            (
                StatusCode::METHOD_NOT_ALLOWED,
                [(header::ALLOW, "POST")],
                "405 method not allowed\n",
            )
                .into_response(),
        ));
    }
    Ok(())
}

/// Refuses a body type this path does not take.
pub fn wrong_content_type(
    ctx: &Ctx,
    peer: SocketAddr,
    path: &str,
    content_type: String,
    status: StatusCode,
) -> Refusal {
    ctx.observe(
        peer,
        Seen::WrongContentType {
            path: path.to_owned(),
            content_type: super::clip(&content_type),
        },
    );
    Box::new(
        (
            status,
            format!(
                "unsupported content type {:?}\n",
                super::clip(&content_type)
            ),
        )
            .into_response(),
    )
}

/// Refuses a body that did not decode.
pub fn malformed(ctx: &Ctx, peer: SocketAddr, what: &str, error: String) -> Refusal {
    let error = super::clip(&error);
    let text = format!("{what}: {error}\n");
    ctx.observe(
        peer,
        Seen::Malformed {
            what: what.to_owned(),
            error,
        },
    );
    Box::new((StatusCode::BAD_REQUEST, text).into_response())
}

fn too_large(ctx: &Ctx, peer: SocketAddr, size: usize) -> Refusal {
    ctx.observe(
        peer,
        Seen::Oversize {
            size,
            limit: MAX_BODY,
        },
    );
    Box::new(StatusCode::PAYLOAD_TOO_LARGE.into_response())
}

/// Appends `chunk`, holding its bytes against the budget and the connection's share.
fn take(
    ctx: &Ctx,
    out: &mut Vec<u8>,
    chunk: &[u8],
    held: &mut Reservation,
    share: &mut Share,
) -> Result<(), Refusal> {
    if !share.hold(chunk.len()) {
        ctx.sink.refuse_memory();
        return Err(refused(Refused::Busy));
    }
    out.extend_from_slice(chunk);
    if held.bytes() < out.capacity() && !held.resize(out.capacity()) {
        ctx.sink.refuse_memory();
        return Err(refused(Refused::Busy));
    }
    Ok(())
}

/// The request body, gunzipped if it says so, at most [`MAX_BODY`] bytes either way, and the
/// budget it holds (given back when dropped, once decoded).
pub async fn body(ctx: &Ctx, peer: &Peer, req: Request) -> Result<(Vec<u8>, Reservation), Refusal> {
    let addr = peer.addr;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(size) = declared.filter(|s| *s > MAX_BODY) {
        return Err(too_large(ctx, addr, size));
    }
    let gzip = req
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    let mut held = ctx.sink.budget().empty();
    let mut share = Share::new(peer.conn.clone());
    let mut bytes = Vec::new();
    let mut stream = req.into_body().into_data_stream();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Err(too_large(ctx, addr, declared.unwrap_or(MAX_BODY + 1)));
        };
        if bytes.len() + chunk.len() > MAX_BODY {
            return Err(too_large(ctx, addr, declared.unwrap_or(MAX_BODY + 1)));
        }
        take(ctx, &mut bytes, &chunk, &mut held, &mut share)?;
    }
    if !gzip {
        return Ok((bytes, held));
    }
    let mut out = Vec::new();
    let mut gunzip = flate2::read::GzDecoder::new(&bytes[..]);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match gunzip.read(&mut buf) {
            Ok(0) => break,
            Ok(n) if out.len() + n > MAX_BODY => {
                return Err(too_large(ctx, addr, out.len() + n));
            }
            Ok(n) => take(
                ctx,
                &mut out,
                buf.get(..n).unwrap_or_default(),
                &mut held,
                &mut share,
            )?,
            Err(e) => {
                return Err(malformed(
                    ctx,
                    addr,
                    "a body marked Content-Encoding: gzip",
                    e.to_string(),
                ));
            }
        }
    }
    drop(bytes);
    Ok((out, held))
}
