//! OTLP over gRPC with tonic: `TraceService/Export`, its status and `partial_success`.

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
use prost::Message;
use tonic::codec::CompressionEncoding;
use tonic::metadata::{MetadataKey, MetadataValue};
use tonic::transport::{Channel, Endpoint};

use crate::protocol::otlp;
use crate::protocol::trace::Trace;

use super::{Answer, Delivery, PartialSuccess, Target, Transport, Verdict, error_chain, tls};

/// A connected client, reusable for many requests (load mode).
pub async fn connect(
    target: &Target,
    transport: &Transport,
) -> Result<TraceServiceClient<Channel>, String> {
    let mut endpoint = Endpoint::from_shared(target.url.to_string())
        .map_err(|e| error_chain(&e))?
        .timeout(transport.timeout)
        .connect_timeout(transport.timeout)
        .user_agent(concat!("tracectl/", env!("CARGO_PKG_VERSION")))
        .map_err(|e| error_chain(&e))?;
    if target.url.scheme() == "https" {
        let pems = tls::Pems::load(&transport.tls)?;
        let domain = target.url.host_str().unwrap_or_default();
        endpoint = endpoint
            .tls_config(tls::tonic_config(&pems, domain))
            .map_err(|e| error_chain(&e))?;
    }
    let channel = endpoint.connect().await.map_err(|e| error_chain(&e))?;
    let mut client = TraceServiceClient::new(channel);
    if transport.gzip {
        client = client.send_compressed(CompressionEncoding::Gzip);
    }
    Ok(client.accept_compressed(CompressionEncoding::Gzip))
}

/// Builds the request with the transport's headers as metadata.
pub fn request(
    body: otlp::ExportTraceServiceRequest,
    transport: &Transport,
) -> Result<tonic::Request<otlp::ExportTraceServiceRequest>, String> {
    let mut request = tonic::Request::new(body);
    for (k, v) in &transport.headers {
        let key = MetadataKey::from_bytes(k.to_ascii_lowercase().as_bytes())
            .map_err(|_| format!("header name `{k}` cannot be gRPC metadata"))?;
        let value = MetadataValue::try_from(v.as_str())
            .map_err(|_| format!("the value of header `{k}` cannot be gRPC metadata"))?;
        request.metadata_mut().insert(key, value);
    }
    Ok(request)
}

/// Reads an Export result into a delivery.
pub fn delivery(
    result: Result<tonic::Response<otlp::ExportTraceServiceResponse>, tonic::Status>,
    sent: usize,
) -> Delivery {
    match result {
        Ok(response) => {
            let partial = response
                .into_inner()
                .partial_success
                .filter(|p| p.rejected_spans != 0 || !p.error_message.is_empty());
            Delivery {
                verdict: match &partial {
                    Some(p) if p.rejected_spans > 0 => Verdict::PartiallyRejected,
                    _ => Verdict::Accepted,
                },
                answer: Answer {
                    grpc_status: Some(0),
                    grpc_code: Some("OK".into()),
                    partial_success: partial.map(|p| PartialSuccess {
                        rejected_spans: p.rejected_spans,
                        error_message: p.error_message,
                    }),
                    bytes_sent: sent,
                    ..Answer::default()
                },
                error: None,
            }
        }
        Err(status) => {
            // tonic reports transport failures as UNAVAILABLE/UNKNOWN statuses with a source.
            let transport_error = std::error::Error::source(&status).map(error_chain);
            let answer = Answer {
                grpc_status: Some(status.code() as i32),
                grpc_code: Some(format!("{:?}", status.code())),
                grpc_message: Some(status.message().to_owned()).filter(|m| !m.is_empty()),
                bytes_sent: sent,
                ..Answer::default()
            };
            match transport_error {
                Some(e) => Delivery {
                    verdict: Verdict::Unreachable,
                    answer,
                    error: Some(e),
                },
                None => Delivery {
                    verdict: Verdict::Rejected,
                    answer,
                    error: None,
                },
            }
        }
    }
}

pub async fn send(trace: &Trace, target: &Target, transport: &Transport) -> Delivery {
    let body = otlp::request_from_trace(trace);
    let sent = body.encoded_len();
    let mut client = match connect(target, transport).await {
        Ok(c) => c,
        Err(e) => return Delivery::failed(e, sent),
    };
    let request = match request(body, transport) {
        Ok(r) => r,
        Err(e) => return Delivery::failed(e, sent),
    };
    // The channel is connected (connect() is eager): a timeout now is no answer, and the status
    // tonic makes of it (CANCELLED "Timeout expired") is tracectl's, not the receiver's.
    match tokio::time::timeout(transport.timeout, client.export(request)).await {
        Err(_) => Delivery::no_answer(transport.timeout, sent),
        Ok(Err(status)) if is_local_timeout(&status) => {
            Delivery::no_answer(transport.timeout, sent)
        }
        Ok(result) => delivery(result, sent),
    }
}

/// Whether tonic made this status from its own request timeout (no byte from the receiver).
fn is_local_timeout(status: &tonic::Status) -> bool {
    status.code() == tonic::Code::Cancelled && status.message() == "Timeout expired"
}
