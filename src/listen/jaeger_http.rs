//! The Jaeger collector's HTTP endpoint: `POST /api/traces` with a thrift binary `Batch`; 202 on
//! success, as the collector answers. A compact body is recognised, decoded and reported.

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::http::{self, Ctx};
use super::limit::Peer;
use super::{Batch, Protocol, Received, convert, estimate};
use crate::protocol::jaeger::{self, Encoding};

pub const PATH: &str = crate::protocol::wire::JAEGER_HTTP_PATH;

pub fn handler(ctx: Arc<Ctx>, peer: Peer, req: Request) -> BoxFuture<'static, Response> {
    async move { handle(&ctx, peer, req).await.unwrap_or_else(|r| *r) }.boxed()
}

async fn handle(ctx: &Ctx, from: Peer, req: Request) -> Result<Response, http::Refusal> {
    let peer = from.addr;
    http::route(ctx, peer, &req, PATH)?;
    let content_type = http::content_type(req.headers());
    if !matches!(
        content_type.as_str(),
        "application/x-thrift" | "application/vnd.apache.thrift.binary"
    ) {
        // The collector answers 400 "Unsupported content type".
        return Err(http::wrong_content_type(
            ctx,
            peer,
            PATH,
            content_type,
            StatusCode::BAD_REQUEST,
        ));
    }
    let (body, body_held) = http::body(ctx, &from, req).await?;
    let mut held = ctx.admit(estimate::thrift(&body)).await?;
    let batch = jaeger::decode_batch(&body, Encoding::Binary).map_err(|e| {
        http::malformed(
            ctx,
            peer,
            "a Jaeger thrift binary Batch body",
            e.to_string(),
        )
    })?;
    let at = SystemTime::now();
    let lines = convert::jaeger(&batch, Protocol::JaegerHttp, ctx.port, at);
    drop((body, body_held));
    // The lines' measured size, usually far below the estimate made before decoding.
    ctx.fit(&mut held, estimate::lines(&lines))?;
    ctx.spans(
        Received {
            origin: ctx.origin(peer),
            at,
            batch: Batch::Lines(lines),
        },
        held,
    )
    .await?;
    Ok(StatusCode::ACCEPTED.into_response())
}
