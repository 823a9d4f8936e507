//! Zipkin: `POST /api/v2/spans` with a JSON list of v2 spans; 202 on success, as Zipkin answers.

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::http::{self, Ctx};
use super::limit::Peer;
use super::{Batch, Received, convert, estimate};
use crate::protocol::zipkin::{self, SPANS_PATH};

pub fn handler(ctx: Arc<Ctx>, peer: Peer, req: Request) -> BoxFuture<'static, Response> {
    async move { handle(&ctx, peer, req).await.unwrap_or_else(|r| *r) }.boxed()
}

async fn handle(ctx: &Ctx, from: Peer, req: Request) -> Result<Response, http::Refusal> {
    let peer = from.addr;
    http::route(ctx, peer, &req, SPANS_PATH)?;
    let content_type = http::content_type(req.headers());
    // Zipkin reads a body without a Content-Type as JSON.
    if !matches!(content_type.as_str(), "application/json" | "") {
        return Err(http::wrong_content_type(
            ctx,
            peer,
            SPANS_PATH,
            content_type,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ));
    }
    let (body, body_held) = http::body(ctx, &from, req).await?;
    let mut held = ctx.admit(estimate::json(&body)).await?;
    let what = "a Zipkin v2 JSON body";
    let spans =
        zipkin::decode(&body).map_err(|e| http::malformed(ctx, peer, what, e.to_string()))?;
    if let Some(error) = spans.iter().find_map(|s| s.validate().err()) {
        return Err(http::malformed(ctx, peer, what, error));
    }
    let at = SystemTime::now();
    let lines = convert::zipkin(&spans, ctx.port, at);
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
