//! Zipkin: `POST /api/v2/spans` with a JSON list of v2 spans; 202 on success, as Zipkin answers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::http::{self, Ctx};
use super::{Batch, Received, convert};
use crate::protocol::zipkin::{self, SPANS_PATH};

pub fn handler(ctx: Arc<Ctx>, peer: SocketAddr, req: Request) -> BoxFuture<'static, Response> {
    async move { handle(&ctx, peer, req).await.unwrap_or_else(|r| *r) }.boxed()
}

async fn handle(ctx: &Ctx, peer: SocketAddr, req: Request) -> Result<Response, http::Refusal> {
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
    let body = http::body(ctx, peer, req).await?;
    let what = "a Zipkin v2 JSON body";
    let spans =
        zipkin::decode(&body).map_err(|e| http::malformed(ctx, peer, what, e.to_string()))?;
    if let Some(error) = spans.iter().find_map(|s| s.validate().err()) {
        return Err(http::malformed(ctx, peer, what, error));
    }
    let at = SystemTime::now();
    ctx.spans(Received {
        origin: ctx.origin(peer),
        at,
        batch: Batch::Lines(convert::zipkin(&spans, ctx.port, at)),
    });
    Ok(StatusCode::ACCEPTED.into_response())
}
