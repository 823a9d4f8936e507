//! The OTLP gRPC `TraceService/Export` method. tonic hands over each message as bytes (gunzipped,
//! at most [`MAX_BODY`]); its decoded size is estimated and reserved from the memory budget
//! before prost decodes it, so a message of millions of empty spans is refused, not decoded.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::task::{Context, Poll};
use std::time::SystemTime;

use axum::body::Bytes;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use prost::Message;
use prost::bytes::Buf;
use tonic::codec::{
    BufferSettings, Codec, CompressionEncoding, DecodeBuf, Decoder, EnabledCompressionEncodings,
    EncodeBuf, Encoder,
};
use tonic::codegen::{Service, http};
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::{Status, body::Body};

use super::limit::Peer;
use super::sink::{Refused, Sink};
use super::{Batch, Listener, MAX_BODY, Origin, Protocol, Received, estimate};
use crate::protocol::otlp::{ExportTraceServiceRequest, ExportTraceServiceResponse};

/// The gRPC method OTLP exporters call.
pub const EXPORT_PATH: &str = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

/// Passes messages through as bytes; encodes the (empty) response with prost.
#[derive(Debug, Clone, Copy, Default)]
struct RawCodec;

impl Codec for RawCodec {
    type Encode = ExportTraceServiceResponse;
    type Decode = Bytes;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }

    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = ExportTraceServiceResponse;
    type Error = Status;

    fn encode(&mut self, item: Self::Item, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        item.encode(buf)
            .map_err(|e| Status::internal(e.to_string()))
    }

    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}

impl Decoder for RawCodec {
    type Item = Bytes;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Bytes>, Status> {
        let n = buf.remaining();
        Ok(Some(buf.copy_to_bytes(n)))
    }

    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}

/// Takes the exports of one listener.
#[derive(Debug, Clone)]
pub struct Receiver {
    pub sink: Sink,
    pub listener: Listener,
    pub port: u16,
}

fn refused(why: Refused) -> Status {
    match why {
        Refused::Busy => Status::unavailable(
            "tracectl listen: its memory budget (--max-memory) or queue is full; retry later",
        ),
        Refused::TooLarge => Status::resource_exhausted(
            "tracectl listen: this message decodes to more than the whole memory budget (--max-memory)",
        ),
    }
}

impl Receiver {
    async fn export(self, request: tonic::Request<Bytes>) -> Result<(), Status> {
        let peer = request
            .extensions()
            .get::<Peer>()
            .map_or(SocketAddr::from(([0, 0, 0, 0], 0)), |p| p.addr);
        let body = request.into_inner();
        let held = self
            .sink
            .admit_waiting(estimate::otlp_protobuf(&body))
            .await
            .map_err(refused)?;
        let request = ExportTraceServiceRequest::decode(body)
            .map_err(|e| Status::internal(format!("failed to decode Protobuf message: {e}")))?;
        let received = Received {
            origin: Origin {
                listener: self.listener,
                port: self.port,
                peer,
            },
            at: SystemTime::now(),
            batch: Batch::Otlp {
                request,
                protocol: Protocol::OtlpGrpc,
            },
        };
        self.sink
            .spans_waiting(received, held)
            .await
            .map_err(refused)
    }
}

impl UnaryService<Bytes> for Receiver {
    type Response = ExportTraceServiceResponse;
    type Future = BoxFuture<'static, Result<tonic::Response<Self::Response>, Status>>;

    fn call(&mut self, request: tonic::Request<Bytes>) -> Self::Future {
        let receiver = self.clone();
        async move {
            receiver.export(request).await?;
            Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
        }
        .boxed()
    }
}

impl NamedService for Receiver {
    const NAME: &'static str = "opentelemetry.proto.collector.trace.v1.TraceService";
}

impl Service<http::Request<Body>> for Receiver {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<http::Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        if req.uri().path() != EXPORT_PATH {
            let status = Status::unimplemented(format!(
                "tracectl listen receives traces only ({EXPORT_PATH})"
            ));
            return futures_util::future::ready(Ok(status.into_http())).boxed();
        }
        let receiver = self.clone();
        async move {
            let mut gzip = EnabledCompressionEncodings::default();
            gzip.enable(CompressionEncoding::Gzip);
            let mut grpc = Grpc::new(RawCodec)
                .apply_compression_config(gzip, EnabledCompressionEncodings::default())
                .apply_max_message_size_config(Some(MAX_BODY), None);
            Ok(grpc.unary(receiver, req).await)
        }
        .boxed()
    }
}
