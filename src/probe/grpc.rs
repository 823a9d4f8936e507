//! Real gRPC unary calls with empty requests through tonic: the OTLP trace `Export` and Jaeger's
//! `jaeger.api_v2.CollectorService/PostSpans`. Both services accept an empty request, so a server
//! that has them answers OK without storing anything.

use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use serde::Serialize;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{ClientTlsConfig, Endpoint};

use super::{Deadline, before};

pub const OTLP_EXPORT: &str = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
pub const JAEGER_POST_SPANS: &str = "/jaeger.api_v2.CollectorService/PostSpans";

/// How a unary call ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum GrpcProbe {
    /// Status OK.
    Ok,
    /// A gRPC status other than OK (e.g. 12 UNIMPLEMENTED: the service is not there).
    Status {
        code: i32,
        name: String,
        message: String,
    },
    /// The call did not get a gRPC status: connection, HTTP/2 or TLS failure, as tonic said it.
    Transport { error: String },
    /// No answer before the deadline.
    Timeout,
}

impl GrpcProbe {
    pub fn code(&self) -> Option<tonic::Code> {
        match self {
            GrpcProbe::Ok => Some(tonic::Code::Ok),
            GrpcProbe::Status { code, .. } => Some(tonic::Code::from_i32(*code)),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            GrpcProbe::Ok => "OK".into(),
            GrpcProbe::Status { name, message, .. } if message.is_empty() => name.clone(),
            GrpcProbe::Status { name, message, .. } => format!("{name}: {message}"),
            GrpcProbe::Transport { error } => format!("transport error: {error}"),
            GrpcProbe::Timeout => "no answer before the deadline".into(),
        }
    }
}

/// An empty protobuf message: what PostSpans gets (an empty `PostSpansRequest`) and returns.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Empty {}

/// Where to call: `authority` is `ip:port` (already resolved), `tls_name` the TLS server name
/// when the call goes over TLS.
#[derive(Debug, Clone)]
pub struct Peer<'a> {
    pub authority: &'a str,
    pub tls_name: Option<&'a str>,
}

/// Calls the OTLP trace Export with an empty request.
pub async fn otlp_export(peer: &Peer<'_>, deadline: Deadline) -> GrpcProbe {
    call::<ExportTraceServiceRequest, ExportTraceServiceResponse>(peer, OTLP_EXPORT, deadline).await
}

/// Calls Jaeger's CollectorService/PostSpans with an empty request.
pub async fn jaeger_post_spans(peer: &Peer<'_>, deadline: Deadline) -> GrpcProbe {
    call::<Empty, Empty>(peer, JAEGER_POST_SPANS, deadline).await
}

async fn call<Req, Resp>(peer: &Peer<'_>, path: &'static str, deadline: Deadline) -> GrpcProbe
where
    Req: prost::Message + Default + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let remaining = deadline
        .saturating_duration_since(Deadline::now())
        .max(Duration::from_millis(1));
    let scheme = if peer.tls_name.is_some() {
        "https"
    } else {
        "http"
    };
    let endpoint = match Endpoint::from_shared(format!("{scheme}://{}", peer.authority)) {
        Ok(e) => e.connect_timeout(remaining).timeout(remaining),
        Err(e) => {
            return GrpcProbe::Transport {
                error: e.to_string(),
            };
        }
    };
    let endpoint = match peer.tls_name {
        None => endpoint,
        Some(name) => {
            let tls = ClientTlsConfig::new()
                .with_native_roots()
                .domain_name(name.trim_start_matches('[').trim_end_matches(']'));
            match endpoint.tls_config(tls) {
                Ok(e) => e,
                Err(e) => return GrpcProbe::Transport { error: chain(&e) },
            }
        }
    };
    let attempt = async {
        let channel = endpoint
            .connect()
            .await
            .map_err(|e| GrpcProbe::Transport { error: chain(&e) })?;
        let mut client = tonic::client::Grpc::new(channel);
        client
            .ready()
            .await
            .map_err(|e| GrpcProbe::Transport { error: chain(&e) })?;
        let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
        client
            .unary(
                tonic::Request::new(Req::default()),
                PathAndQuery::from_static(path),
                codec,
            )
            .await
            .map_err(|status| from_status(&status))?;
        Ok::<_, GrpcProbe>(GrpcProbe::Ok)
    };
    match before(deadline, attempt).await {
        None => GrpcProbe::Timeout,
        Some(Ok(p) | Err(p)) => p,
    }
}

fn from_status(status: &tonic::Status) -> GrpcProbe {
    // tonic reports transport failures as UNKNOWN/UNAVAILABLE statuses with a source error.
    if std::error::Error::source(status).is_some()
        && matches!(
            status.code(),
            tonic::Code::Unknown | tonic::Code::Unavailable | tonic::Code::Internal
        )
    {
        return GrpcProbe::Transport {
            error: chain(status),
        };
    }
    GrpcProbe::Status {
        code: status.code() as i32,
        name: code_name(status.code()).to_string(),
        message: status.message().chars().take(200).collect(),
    }
}

fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code::*;
    match code {
        Ok => "OK",
        Cancelled => "CANCELLED",
        Unknown => "UNKNOWN",
        InvalidArgument => "INVALID_ARGUMENT",
        DeadlineExceeded => "DEADLINE_EXCEEDED",
        NotFound => "NOT_FOUND",
        AlreadyExists => "ALREADY_EXISTS",
        PermissionDenied => "PERMISSION_DENIED",
        ResourceExhausted => "RESOURCE_EXHAUSTED",
        FailedPrecondition => "FAILED_PRECONDITION",
        Aborted => "ABORTED",
        OutOfRange => "OUT_OF_RANGE",
        Unimplemented => "UNIMPLEMENTED",
        Internal => "INTERNAL",
        Unavailable => "UNAVAILABLE",
        DataLoss => "DATA_LOSS",
        Unauthenticated => "UNAUTHENTICATED",
    }
}
/// An error and its sources on one line, bounded.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    crate::text::error_chain(e).chars().take(300).collect()
}
