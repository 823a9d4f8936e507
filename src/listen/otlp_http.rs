//! OTLP/HTTP: `POST /v1/traces` with a protobuf or JSON body, maybe gzipped. An OTLP gRPC export
//! sent here (HTTP/2 with `application/grpc`) is reported, and handed to the gRPC receiver so its
//! spans still show; other gRPC calls are answered 404, as an HTTP receiver does.

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::http::{self, Ctx};
use super::limit::Peer;
use super::{Batch, Protocol, Received, Seen, estimate, otlp_grpc};
use crate::protocol::otlp::{self, ExportTraceServiceResponse};

pub const PATH: &str = crate::protocol::wire::OTLP_PATH;

pub fn handler(ctx: Arc<Ctx>, peer: Peer, req: Request) -> BoxFuture<'static, Response> {
    async move { handle(&ctx, peer, req).await.unwrap_or_else(|r| *r) }.boxed()
}

async fn handle(ctx: &Ctx, from: Peer, req: Request) -> Result<Response, http::Refusal> {
    let peer = from.addr;
    // --strict answers it 404 in `route`, as an OTLP/HTTP receiver does.
    if !ctx.strict && http::is_grpc(&req) && req.uri().path() == otlp_grpc::EXPORT_PATH {
        ctx.observe(
            peer,
            Seen::GrpcOnHttp {
                path: otlp_grpc::EXPORT_PATH.to_owned(),
                served: true,
            },
        );
        return Ok(otlp_grpc::export_on_http(ctx, from, req).await);
    }
    http::route(ctx, peer, &req, PATH)?;
    let content_type = http::content_type(req.headers());
    let json = match content_type.as_str() {
        "application/x-protobuf" | "application/protobuf" => false,
        "application/json" => true,
        _ => {
            return Err(http::wrong_content_type(
                ctx,
                peer,
                PATH,
                content_type,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ));
        }
    };
    let (body, body_held) = http::body(ctx, &from, req).await?;
    let held = ctx
        .admit(if json {
            estimate::json(&body)
        } else {
            estimate::otlp_protobuf(&body)
        })
        .await?;
    let request = if json {
        otlp::decode_json(&body).map_err(|e| e.to_string())
    } else {
        otlp::decode_protobuf(&body).map_err(|e| e.to_string())
    };
    let (protocol, what) = if json {
        (Protocol::OtlpHttpJson, "an OTLP/HTTP JSON body")
    } else {
        (Protocol::OtlpHttpProtobuf, "an OTLP/HTTP protobuf body")
    };
    let request = request.map_err(|e| http::malformed(ctx, peer, what, e))?;
    drop((body, body_held));
    ctx.spans(
        Received {
            origin: ctx.origin(peer),
            at: SystemTime::now(),
            batch: Batch::Otlp { request, protocol },
        },
        held,
    )
    .await?;
    let body = otlp::encode_response(&ExportTraceServiceResponse::default(), json);
    let content_type = if json {
        otlp::JSON_CONTENT_TYPE
    } else {
        otlp::PROTOBUF_CONTENT_TYPE
    };
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response())
}
