//! What the HTTP listeners share: reading a bounded (and maybe gzipped) body, and answering
//! requests they do not take the way a real receiver would, while reporting what was seen.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use tokio::sync::watch;

use super::limit::{LimitedListener, Peer};
use super::sink::Sink;
use super::{Listener, MAX_BODY, Observation, Origin, Received, Seen};

/// A listener's identity and where it reports.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub listener: Listener,
    pub port: u16,
    pub sink: Sink,
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

    pub fn spans(&self, received: Received) {
        self.sink.spans(received);
    }
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
    fn(Arc<Ctx>, SocketAddr, Request) -> futures_util::future::BoxFuture<'static, Response>;

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
                  ConnectInfo(Peer(peer)): ConnectInfo<Peer>,
                  req: Request| handler(ctx, peer, req),
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
                path: req.uri().path().to_owned(),
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
                method: req.method().to_string(),
                path: req.uri().path().to_owned(),
                content_type,
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
            content_type: content_type.clone(),
        },
    );
    Box::new(
        (
            status,
            format!("unsupported content type {content_type:?}\n"),
        )
            .into_response(),
    )
}

/// Refuses a body that did not decode.
pub fn malformed(ctx: &Ctx, peer: SocketAddr, what: &str, error: String) -> Refusal {
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

/// The request body, gunzipped if it says so, at most [`MAX_BODY`] bytes either way.
pub async fn body(ctx: &Ctx, peer: SocketAddr, req: Request) -> Result<Vec<u8>, Refusal> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(size) = declared.filter(|s| *s > MAX_BODY) {
        return Err(too_large(ctx, peer, size));
    }
    let gzip = req
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    let bytes = match axum::body::to_bytes(Body::new(req.into_body()), MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => return Err(too_large(ctx, peer, declared.unwrap_or(MAX_BODY + 1))),
    };
    if !gzip {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    let limit = u64::try_from(MAX_BODY).unwrap_or(u64::MAX) + 1;
    match flate2::read::GzDecoder::new(&bytes[..])
        .take(limit)
        .read_to_end(&mut out)
    {
        Ok(_) if out.len() > MAX_BODY => Err(too_large(ctx, peer, out.len())),
        Ok(_) => Ok(out),
        Err(e) => Err(malformed(
            ctx,
            peer,
            "a body marked Content-Encoding: gzip",
            e.to_string(),
        )),
    }
}
